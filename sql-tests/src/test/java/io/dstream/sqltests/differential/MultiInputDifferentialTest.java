package io.dstream.sqltests.differential;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Differential tests of queries over two streams (UNION ALL, interval joins, window joins): for
 * each seed, the random bid input of {@link BidInput#generate} and its
 * {@link BidInput#companion}, each read as its own stream with its own watermark, against the
 * same union or join computed by DuckDB as a batch query over both files. In the SQL,
 * {@code $a} and {@code $b} stand for the two tables (DuckDB's window views of them are
 * {@code $a_w10_10_0} and {@code $b_w10_10_0}).
 *
 * <p>System properties as in {@link DifferentialTest}: {@code differential.seeds} (default 8),
 * {@code differential.firstSeed}, {@code differential.maxRows}.
 */
class MultiInputDifferentialTest extends DifferentialBase<MultiInputDifferentialTest.Inputs> {
  /**
   * A row of the inputs is at most 3.9 s (jitter) + 0.999 s (moved to a whole second) older than
   * the newest before it: windows of whole seconds never see it late with the 4 s delay of
   * {@link DifferentialTest}, but an interval join compares exact times, so the delay here covers
   * the whole disorder.
   */
  private static final int DELAY_SECONDS = 5;

  static final List<Shapes.Shape> SHAPES = List.of(
      new Shapes.Shape("union_all",
          "SELECT STREAM auction, price, date_time FROM $a UNION ALL SELECT STREAM auction, price, date_time FROM $b",
          "SELECT auction, price, date_time FROM $a UNION ALL SELECT auction, price, date_time FROM $b"),
      new Shapes.Shape("union_all_filtered_three_inputs",
          "SELECT STREAM auction, channel FROM $a WHERE price > 1000 UNION ALL SELECT STREAM auction, channel"
              + " FROM $b WHERE price < 500 UNION ALL SELECT STREAM bidder, extra FROM $a WHERE price IS NULL",
          "SELECT auction, channel FROM $a WHERE price > 1000 UNION ALL SELECT auction, channel FROM $b WHERE"
              + " price < 500 UNION ALL SELECT bidder, extra FROM $a WHERE price IS NULL"),
      new Shapes.Shape("union_all_tumble",
          "SELECT STREAM auction, COUNT(*) AS n, SUM(price) AS total, TUMBLE_END(date_time, INTERVAL '10' SECOND)"
              + " AS we FROM (SELECT STREAM auction, price, date_time FROM $a UNION ALL SELECT STREAM auction,"
              + " price, date_time FROM $b) GROUP BY TUMBLE(date_time, INTERVAL '10' SECOND), auction",
          "SELECT auction, COUNT(*), SUM(price), window_end FROM (SELECT auction, price, window_start, window_end"
              + " FROM $a_w10_10_0 UNION ALL SELECT auction, price, window_start, window_end FROM $b_w10_10_0)"
              + " GROUP BY window_start, window_end, auction"),
      new Shapes.Shape("interval_join",
          "SELECT STREAM a.auction, a.price, b.price AS bprice, a.date_time, b.date_time AS bt FROM $a a JOIN $b b"
              + " ON a.auction = b.auction AND a.bidder = b.bidder"
              + " AND a.date_time BETWEEN b.date_time - INTERVAL '2' SECOND AND b.date_time + INTERVAL '2' SECOND",
          "SELECT a.auction, a.price, b.price, a.date_time, b.date_time FROM $a a JOIN $b b"
              + " ON a.auction = b.auction AND a.bidder = b.bidder"
              + " AND a.date_time BETWEEN b.date_time - INTERVAL 2 SECOND AND b.date_time + INTERVAL 2 SECOND"),
      new Shapes.Shape("interval_join_one_sided_and_filter",
          "SELECT STREAM a.bidder, a.channel, b.channel AS bch, a.date_time FROM $a a JOIN $b b"
              + " ON a.auction = b.auction AND a.bidder = b.bidder AND a.date_time >= b.date_time"
              + " AND a.date_time < b.date_time + INTERVAL '3' SECOND AND a.price > b.price",
          "SELECT a.bidder, a.channel, b.channel, a.date_time FROM $a a JOIN $b b"
              + " ON a.auction = b.auction AND a.bidder = b.bidder AND a.date_time >= b.date_time"
              + " AND a.date_time < b.date_time + INTERVAL 3 SECOND AND a.price > b.price"),
      new Shapes.Shape("interval_left_join",
          "SELECT STREAM a.auction, a.bidder, a.date_time, b.price AS bprice FROM $a a LEFT JOIN $b b"
              + " ON a.auction = b.auction AND a.bidder = b.bidder"
              + " AND b.date_time BETWEEN a.date_time - INTERVAL '1' SECOND AND a.date_time",
          "SELECT a.auction, a.bidder, a.date_time, b.price FROM $a a LEFT JOIN $b b"
              + " ON a.auction = b.auction AND a.bidder = b.bidder"
              + " AND b.date_time BETWEEN a.date_time - INTERVAL 1 SECOND AND a.date_time"),
      new Shapes.Shape("window_join",
          "SELECT STREAM a.auction, a.bidder, a.price, b.price AS bprice, a.window_start, a.window_end"
              + " FROM TABLE(TUMBLE(TABLE $a, DESCRIPTOR(date_time), INTERVAL '10' SECOND)) a"
              + " JOIN TABLE(TUMBLE(TABLE $b, DESCRIPTOR(date_time), INTERVAL '10' SECOND)) b"
              + " ON a.auction = b.auction AND a.bidder = b.bidder AND a.window_start = b.window_start"
              + " AND a.window_end = b.window_end",
          "SELECT a.auction, a.bidder, a.price, b.price, a.window_start, a.window_end FROM $a_w10_10_0 a"
              + " JOIN $b_w10_10_0 b ON a.auction = b.auction AND a.bidder = b.bidder"
              + " AND a.window_start = b.window_start AND a.window_end = b.window_end"),
      new Shapes.Shape("window_left_join",
          "SELECT STREAM a.auction, a.channel, b.extra, a.window_end"
              + " FROM TABLE(TUMBLE(TABLE $a, DESCRIPTOR(date_time), INTERVAL '10' SECOND)) a"
              + " LEFT JOIN TABLE(TUMBLE(TABLE $b, DESCRIPTOR(date_time), INTERVAL '10' SECOND)) b"
              + " ON a.auction = b.auction AND a.bidder = b.bidder AND a.window_start = b.window_start"
              + " AND a.window_end = b.window_end",
          "SELECT a.auction, a.channel, b.extra, a.window_end FROM $a_w10_10_0 a"
              + " LEFT JOIN $b_w10_10_0 b ON a.auction = b.auction AND a.bidder = b.bidder"
              + " AND a.window_start = b.window_start AND a.window_end = b.window_end"));

  /** A seed's two inputs: {@code $a} and {@code $b}. */
  record Inputs(BidInput a, BidInput b) {
    @Override
    public String toString() {
      return a + " and " + b;
    }
  }

  MultiInputDifferentialTest() {
    super("two_", FIRST_SEED, SEEDS);
  }

  @TestFactory
  Stream<DynamicNode> engineAgreesWithDuckDbOnTwoInputs() {
    return seeds(SHAPES);
  }

  private static String table(long seed, String side) {
    return "two_" + side + "_" + seed;
  }

  @Override
  Inputs generate(long seed) throws Exception {
    BidInput a = BidInput.generate(seed, dir, MAX_ROWS);
    return new Inputs(a, BidInput.companion(seed, dir, MAX_ROWS));
  }

  @Override
  void declare(long seed, Inputs inputs) throws Exception {
    engine.createStream(table(seed, "a"), inputs.a(), DELAY_SECONDS);
    engine.createStream(table(seed, "b"), inputs.b(), DELAY_SECONDS);
    duck.load(table(seed, "a"), inputs.a());
    duck.load(table(seed, "b"), inputs.b());
    assertThat(duck.count(table(seed, "b"))).as("rows DuckDB read of %s", inputs.b()).isEqualTo(inputs.b().rows);
  }

  private static String sql(String template, long seed) {
    return template.replace("$a", table(seed, "a")).replace("$b", table(seed, "b"));
  }

  @Override
  String engineSql(long seed, Shapes.Shape shape) {
    return sql(shape.engine(), seed);
  }

  @Override
  String duckSql(long seed, Shapes.Shape shape) {
    return sql(shape.duck(), seed);
  }
}

package io.dstream.sqltests.differential;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Differential tests of ROW_NUMBER(): top-N per window and deduplication, against DuckDB's
 * ROW_NUMBER() over the same rows with the engine's tie-break made explicit (the ORDER BY keys,
 * then every input column in order, ascending, NULLs last) and Calcite's default NULL order
 * (NULLs last ascending, first descending). The inputs keep every row after the watermark at
 * the start of its batch ({@link BidInput#generate(long, Path, int, boolean)}), so that no row is
 * late for deduplication either. Seeds: {@code differential.rowNumberSeeds} (default 6).
 */
class RowNumberDifferentialTest extends DifferentialBase<BidInput> {
  private static final String TIES = "auction NULLS LAST, bidder NULLS LAST, price NULLS LAST, channel NULLS LAST,"
      + " url NULLS LAST, date_time NULLS LAST, extra NULLS LAST";
  private static final String WINDOW_TIES = TIES + ", window_start NULLS LAST, window_end NULLS LAST";

  RowNumberDifferentialTest() {
    super("rn_bids_", 1, Integer.getInteger("differential.rowNumberSeeds", 6));
  }

  private static String tvf(String function, String sizes) {
    return "TABLE(" + function + "(TABLE $t, DESCRIPTOR(date_time), " + sizes + "))";
  }

  private static String ranked(String select, String over, String from, String where) {
    return "SELECT " + select + " FROM (SELECT *, ROW_NUMBER() OVER (" + over + ") AS rn FROM " + from + ") WHERE "
        + where;
  }

  static final List<Shapes.Shape> SHAPES = List.of(
      new Shapes.Shape("top3_tumble10_by_price",
          "SELECT STREAM * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY price"
              + " DESC) AS rn FROM " + tvf("TUMBLE", "INTERVAL '10' SECOND") + ") WHERE rn <= 3",
          ranked("*", "PARTITION BY window_start, window_end ORDER BY price DESC NULLS FIRST, " + WINDOW_TIES,
              "$w10_10_0", "rn <= 3")),
      new Shapes.Shape("top2_tumble3_per_auction_projected",
          "SELECT STREAM auction, price, window_end FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start,"
              + " window_end, auction ORDER BY price) AS rn FROM " + tvf("TUMBLE", "INTERVAL '3' SECOND")
              + ") WHERE rn < 3",
          ranked("auction, price, window_end", "PARTITION BY window_start, window_end, auction ORDER BY price ASC"
              + " NULLS LAST, " + WINDOW_TIES, "$w3_3_0", "rn < 3")),
      new Shapes.Shape("top1_hop10_2_per_channel",
          "SELECT STREAM channel, window_start, bidder, price, rn FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY"
              + " window_start, window_end, channel ORDER BY price DESC, bidder ASC) AS rn FROM "
              + tvf("HOP", "INTERVAL '2' SECOND, INTERVAL '10' SECOND") + ") WHERE 1 >= rn",
          ranked("channel, window_start, bidder, price, rn", "PARTITION BY window_start, window_end, channel ORDER BY"
              + " price DESC NULLS FIRST, bidder ASC NULLS LAST, " + WINDOW_TIES, "$w10_2_0", "rn <= 1")),
      new Shapes.Shape("top5_hop9_3_by_extra_start_only",
          "SELECT STREAM window_start, extra, auction, rn FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY"
              + " window_start ORDER BY extra DESC, date_time) AS rn FROM "
              + tvf("HOP", "INTERVAL '3' SECOND, INTERVAL '9' SECOND") + ") WHERE rn <= 5",
          ranked("window_start, extra, auction, rn", "PARTITION BY window_start ORDER BY extra DESC NULLS FIRST,"
              + " date_time ASC NULLS LAST, " + WINDOW_TIES, "$w9_3_0", "rn <= 5")),
      new Shapes.Shape("dedup_first_per_auction",
          "SELECT STREAM auction, bidder, price, channel, date_time FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY"
              + " auction ORDER BY date_time ASC) AS rn FROM $t) WHERE rn = 1",
          ranked("auction, bidder, price, channel, date_time", "PARTITION BY auction ORDER BY date_time ASC NULLS"
              + " LAST, " + TIES, "$t", "rn = 1")),
      new Shapes.Shape("dedup_first_per_bidder_channel",
          "SELECT STREAM * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder, channel ORDER BY date_time) AS rn"
              + " FROM $t) WHERE rn <= 1",
          ranked("*", "PARTITION BY bidder, channel ORDER BY date_time ASC NULLS LAST, " + TIES, "$t", "rn <= 1")),
      new Shapes.Shape("dedup_first_per_window_auction",
          "SELECT STREAM window_start, auction, price, date_time FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY"
              + " window_start, window_end, auction ORDER BY date_time) AS rn FROM "
              + tvf("TUMBLE", "INTERVAL '10' SECOND") + ") WHERE rn = 1",
          ranked("window_start, auction, price, date_time", "PARTITION BY window_start, window_end, auction ORDER BY"
              + " date_time ASC NULLS LAST, " + WINDOW_TIES, "$w10_10_0", "rn = 1")),
      new Shapes.Shape("dedup_last_per_window_channel",
          "SELECT STREAM window_end, channel, auction, date_time FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY"
              + " window_start, window_end, channel ORDER BY date_time DESC) AS rn FROM "
              + tvf("TUMBLE", "INTERVAL '3' SECOND") + ") WHERE rn = 1",
          ranked("window_end, channel, auction, date_time", "PARTITION BY window_start, window_end, channel ORDER BY"
              + " date_time DESC NULLS FIRST, " + WINDOW_TIES, "$w3_3_0", "rn = 1")),
      // Top-N of a windowed aggregate, ranked on the driver over whole windows; ties by auction.
      new Shapes.Shape("top3_auctions_by_count_tumble10",
          "SELECT STREAM window_end, auction, n, total, rn FROM (SELECT window_start, window_end, auction, n, total,"
              + " ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY n DESC, auction) AS rn FROM"
              + " (SELECT window_start, window_end, auction, COUNT(*) AS n, SUM(price) AS total FROM "
              + tvf("TUMBLE", "INTERVAL '10' SECOND") + " GROUP BY window_start, window_end, auction)) WHERE rn <= 3",
          "SELECT window_end, auction, n, total, rn FROM (SELECT window_start, window_end, auction, n, total,"
              + " ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY n DESC, auction) AS rn FROM"
              + " (SELECT window_start, window_end, auction, COUNT(*) AS n, SUM(price) AS total FROM $w10_10_0"
              + " GROUP BY window_start, window_end, auction)) WHERE rn <= 3"),
      new Shapes.Shape("top1_channel_by_max_price_hop10_2",
          "SELECT STREAM window_start, channel, hi, rn FROM (SELECT window_start, window_end, channel, hi,"
              + " ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY hi DESC, channel) AS rn FROM"
              + " (SELECT window_start, window_end, channel, MAX(price) AS hi FROM "
              + tvf("HOP", "INTERVAL '2' SECOND, INTERVAL '10' SECOND")
              + " GROUP BY window_start, window_end, channel)) WHERE rn = 1",
          "SELECT window_start, channel, hi, rn FROM (SELECT window_start, window_end, channel, hi,"
              + " ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY hi DESC NULLS FIRST, channel) AS rn"
              + " FROM (SELECT window_start, window_end, channel, MAX(price) AS hi FROM $w10_2_0"
              + " GROUP BY window_start, window_end, channel)) WHERE rn = 1"));

  @TestFactory
  Stream<DynamicNode> rowNumberAgreesWithDuckDb() {
    return seeds(SHAPES);
  }

  @Override
  BidInput generate(long seed) throws Exception {
    return BidInput.generate(seed, dir, MAX_ROWS, true);
  }

  @Override
  void declare(long seed, BidInput input) throws Exception {
    engine.createStream(table(seed), input);
    duck.load(table(seed), input);
    assertThat(duck.count(table(seed))).as("rows DuckDB read of %s", input).isEqualTo(input.rows);
  }

  @Override
  void agreed(Shapes.Shape shape, EngineRunner.Output out, Rows.Result expected) {
    assertThat(expected.rows()).as("DuckDB's result of %s", shape).isNotEmpty();
  }
}

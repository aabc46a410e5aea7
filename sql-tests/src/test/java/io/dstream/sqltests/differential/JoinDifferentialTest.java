package io.dstream.sqltests.differential;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Differential tests of stream-table joins: each seed's bid input joined with a seeded
 * {@link ItemTable} (missing ids, duplicate ids, NULL keys) by the engine as a push query, and by
 * DuckDB as a batch query over the same files. {@code $t} is the bids, {@code $i} the table.
 * Uses the seed properties of {@link DifferentialTest}.
 */
class JoinDifferentialTest extends DifferentialBase<JoinDifferentialTest.Input> {
  private static final String HOP = "b.date_time, INTERVAL '3' SECOND, INTERVAL '9' SECOND";

  static final List<Shapes.Shape> SHAPES = List.of(
      new Shapes.Shape("join_inner",
          "SELECT STREAM b.auction, b.price, b.date_time, i.category, i.seller FROM $t AS b JOIN $i AS i"
              + " ON b.auction = i.id",
          "SELECT b.auction, b.price, b.date_time, i.category, i.seller FROM $t AS b JOIN $i AS i ON b.auction = i.id"),
      new Shapes.Shape("join_left",
          "SELECT STREAM b.auction, b.bidder, b.extra, i.category, i.reserve FROM $t AS b LEFT JOIN $i AS i"
              + " ON b.auction = i.id",
          "SELECT b.auction, b.bidder, b.extra, i.category, i.reserve FROM $t AS b LEFT JOIN $i AS i"
              + " ON b.auction = i.id"),
      new Shapes.Shape("join_two_keys_and_condition",
          "SELECT STREAM b.auction, b.channel, b.price, i.category, i.reserve FROM $t AS b JOIN $i AS i"
              + " ON b.auction = i.id AND b.channel = i.channel AND b.price > i.reserve",
          "SELECT b.auction, b.channel, b.price, i.category, i.reserve FROM $t AS b JOIN $i AS i"
              + " ON b.auction = i.id AND b.channel = i.channel AND b.price > i.reserve"),
      new Shapes.Shape("join_left_condition_table_first_projected",
          "SELECT STREAM i.category, i.seller, b.auction, b.price * 2 AS p2 FROM $i AS i RIGHT JOIN $t AS b"
              + " ON i.id = b.auction AND i.seller < 6 WHERE b.price IS NOT NULL",
          "SELECT i.category, i.seller, b.auction, b.price * 2 FROM $i AS i RIGHT JOIN $t AS b"
              + " ON i.id = b.auction AND i.seller < 6 WHERE b.price IS NOT NULL"),
      new Shapes.Shape("join_tumble_by_category",
          "SELECT STREAM i.category, TUMBLE_END(b.date_time, INTERVAL '10' SECOND) AS we, COUNT(*) AS n,"
              + " SUM(b.price) AS total, MAX(i.seller) AS top FROM $t AS b LEFT JOIN $i AS i ON b.auction = i.id"
              + " GROUP BY TUMBLE(b.date_time, INTERVAL '10' SECOND), i.category",
          "SELECT i.category, b.window_end, COUNT(*), SUM(b.price), MAX(i.seller) FROM $w10_10_0 AS b"
              + " LEFT JOIN $i AS i ON b.auction = i.id GROUP BY b.window_start, b.window_end, i.category"),
      new Shapes.Shape("join_hop_by_seller_filtered_table",
          "SELECT STREAM i.seller, HOP_END(" + HOP + ") AS he, COUNT(*) AS n, MIN(b.price) AS lo FROM $t AS b"
              + " JOIN (SELECT id, seller FROM $i WHERE category <> 'c0') AS i ON b.auction = i.id"
              + " GROUP BY HOP(" + HOP + "), i.seller",
          "SELECT i.seller, b.window_end, COUNT(*), MIN(b.price) FROM $w9_3_0 AS b"
              + " JOIN (SELECT id, seller FROM $i WHERE category <> 'c0') AS i ON b.auction = i.id"
              + " GROUP BY b.window_start, b.window_end, i.seller"));

  /** A seed's bids and table. */
  record Input(BidInput bids, ItemTable items) {
    @Override
    public String toString() {
      return bids + " joined with " + items.rows + " items";
    }
  }

  JoinDifferentialTest() {
    super("jbids_", FIRST_SEED, SEEDS);
  }

  @TestFactory
  Stream<DynamicNode> joinsAgreeWithDuckDb() {
    return seeds(SHAPES);
  }

  @Override
  Input generate(long seed) throws Exception {
    BidInput bids = BidInput.generate(seed, dir, MAX_ROWS);
    return new Input(bids, ItemTable.generate(seed, dir));
  }

  @Override
  void declare(long seed, Input input) throws Exception {
    ItemTable items = input.items();
    engine.createStream(table(seed), input.bids());
    engine.engine.execute("CREATE TABLE " + items(seed) + " (" + ItemTable.COLUMNS + ") WITH (connector = 'csv',"
        + " path = '" + items.path.toAbsolutePath() + "')");
    duck.load(table(seed), input.bids());
    duck.execute("CREATE TABLE " + items(seed) + " AS SELECT * FROM read_csv('" + items.path.toAbsolutePath()
        + "', header = false, auto_detect = false, delim = ',', quote = '\"', escape = '\"',"
        + " columns = {'id': 'BIGINT', 'channel': 'VARCHAR', 'category': 'VARCHAR', 'seller': 'BIGINT',"
        + " 'reserve': 'BIGINT'}, force_not_null = ['channel', 'category'])");
    assertThat(duck.count(items(seed))).isEqualTo(items.rows);
  }

  private static String items(long seed) {
    return "items_" + seed;
  }

  @Override
  String engineSql(long seed, Shapes.Shape shape) {
    return super.engineSql(seed, shape).replace("$i", items(seed));
  }

  @Override
  String duckSql(long seed, Shapes.Shape shape) {
    return super.duckSql(seed, shape).replace("$i", items(seed));
  }

  @Override
  void agreed(Shapes.Shape shape, EngineRunner.Output out, Rows.Result expected) {
    assertThat(expected.rows()).as("DuckDB rows of %s", shape.name()).isNotEmpty();
  }
}

package io.dstream.sqltests.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.sqltests.functions.Bucket;
import io.dstream.sqltests.functions.Label;
import io.dstream.sqltests.functions.Ratio;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Differential tests of user-defined functions: queries calling Java functions (in projections,
 * filters and group keys) against DuckDB computing the same in SQL, over the random bid inputs
 * of {@link DifferentialTest}. {@code bucket(v, w)} floors like Math.floorDiv, hence DuckDB's
 * {@code floor(v / w)} (a DOUBLE division, exact at these magnitudes) rather than {@code //}.
 *
 * <p>System property {@code differential.functionSeeds}: number of seeds (default 4).
 */
class FunctionDifferentialTest extends DifferentialBase<BidInput> {

  static final List<Shapes.Shape> SHAPES = List.of(
      new Shapes.Shape("udf_projection",
          "SELECT STREAM auction, price, bucket(price, 100) AS b, label(channel) AS l,"
              + " label(channel, auction) AS l2, ratio(price, bidder) AS r FROM $t",
          "SELECT auction, price, CAST(floor(price / 100) AS BIGINT), '#' || lower(channel),"
              + " '#' || lower(channel) || '-' || auction, CAST(price AS DOUBLE) / bidder FROM $t"),
      new Shapes.Shape("udf_filter",
          "SELECT STREAM auction, price FROM $t WHERE bucket(price, 1000) BETWEEN 1 AND 20"
              + " AND label(channel) <> '#'",
          "SELECT auction, price FROM $t WHERE floor(price / 1000) BETWEEN 1 AND 20 AND channel <> ''"),
      new Shapes.Shape("udf_group_key",
          "SELECT STREAM bucket(price, 1000) AS b, TUMBLE_END(date_time, INTERVAL '10' SECOND) AS we,"
              + " COUNT(*) AS n, SUM(price) AS total FROM $t WHERE bucket(auction, 2) > 0"
              + " GROUP BY TUMBLE(date_time, INTERVAL '10' SECOND), bucket(price, 1000)",
          "SELECT CAST(floor(price / 1000) AS BIGINT), window_end, COUNT(*), SUM(price) FROM $w10_10_0"
              + " WHERE floor(auction / 2) > 0"
              + " GROUP BY window_start, window_end, CAST(floor(price / 1000) AS BIGINT)"));

  FunctionDifferentialTest() {
    super("bids_", 1, Integer.getInteger("differential.functionSeeds", 4));
  }

  @Override
  void started() {
    for (Class<?> f : List.of(Bucket.class, Label.class, Ratio.class)) {
      engine.engine.execute("CREATE FUNCTION " + f.getSimpleName().toLowerCase() + " AS '" + f.getName() + "'");
    }
  }

  @TestFactory
  Stream<DynamicNode> functionsAgreeWithDuckDb() {
    return seeds(SHAPES);
  }

  @Override
  BidInput generate(long seed) throws Exception {
    return BidInput.generate(seed, dir, 2500);
  }

  @Override
  void declare(long seed, BidInput input) throws Exception {
    engine.createStream(table(seed), input);
    duck.load(table(seed), input);
  }

  @Override
  void agreed(Shapes.Shape shape, EngineRunner.Output out, Rows.Result expected) {
    assertThat(expected.rows()).as("DuckDB rows of %s", shape.name()).isNotEmpty();
  }
}

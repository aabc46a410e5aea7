package io.dstream.sqltests.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.sqltests.functions.Bucket;
import io.dstream.sqltests.functions.Label;
import io.dstream.sqltests.functions.Ratio;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential tests of user-defined functions: queries calling Java functions (in projections,
 * filters and group keys) against DuckDB computing the same in SQL, over the random bid inputs
 * of {@link DifferentialTest}. {@code bucket(v, w)} floors like Math.floorDiv, hence DuckDB's
 * {@code floor(v / w)} (a DOUBLE division, exact at these magnitudes) rather than {@code //}.
 *
 * <p>System property {@code differential.functionSeeds}: number of seeds (default 4).
 */
class FunctionDifferentialTest {
  private static final int SEEDS = Integer.getInteger("differential.functionSeeds", 4);

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

  @TempDir
  static Path dir;

  private static final Map<Long, BidInput> INPUTS = new ConcurrentHashMap<>();
  private static EngineRunner engine;
  private static DuckDbOracle duck;

  @BeforeAll
  static void start() throws Exception {
    engine = new EngineRunner();
    duck = new DuckDbOracle();
    for (Class<?> f : List.of(Bucket.class, Label.class, Ratio.class)) {
      engine.engine.execute("CREATE FUNCTION " + f.getSimpleName().toLowerCase() + " AS '" + f.getName() + "'");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (engine != null) {
      engine.close();
    }
    if (duck != null) {
      duck.close();
    }
  }

  @TestFactory
  Stream<DynamicNode> functionsAgreeWithDuckDb() {
    List<DynamicNode> seeds = new ArrayList<>();
    for (int seed = 1; seed <= SEEDS; seed++) {
      long s = seed;
      seeds.add(DynamicContainer.dynamicContainer("seed " + seed,
          Stream.concat(Stream.of(DynamicTest.dynamicTest("load", () -> load(s))),
              SHAPES.stream().map(shape -> DynamicTest.dynamicTest(shape.name(), () -> check(s, shape))))));
    }
    return seeds.stream();
  }

  private static void load(long seed) throws Exception {
    BidInput input = BidInput.generate(seed, dir, 2500);
    INPUTS.put(seed, input);
    engine.createStream("bids_" + seed, input);
    duck.load("bids_" + seed, input);
  }

  private static void check(long seed, Shapes.Shape shape) throws Exception {
    String table = "bids_" + seed;
    BidInput input = INPUTS.get(seed);
    assertThat(input).as("input of seed %d (its load failed?)", seed).isNotNull();
    String engineSql = Shapes.engineSql(shape, table);
    String duckSql = Shapes.duckSql(shape, table);
    EngineRunner.Output out = engine.run(engineSql);
    Rows.Result expected = duck.query(duckSql);
    String difference = Rows.difference(Rows.ofEngine(out.columns(), out.rows()), expected);
    if (difference != null) {
      throw new AssertionError("shape " + shape.name() + " on " + input + "\n  engine: " + engineSql
          + "\n  DuckDB: " + duckSql + "\n  " + difference);
    }
    assertThat(expected.rows()).as("DuckDB rows of %s", shape.name()).isNotEmpty();
    assertThat(engine.allocatedBytes()).as("Arrow memory still allocated after the query").isZero();
  }
}

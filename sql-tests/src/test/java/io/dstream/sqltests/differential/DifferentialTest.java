package io.dstream.sqltests.differential;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential tests: the engine's complete output over a bounded csv input, run as a push query
 * on a manual clock, against the same query run as a batch query by DuckDB over the same file.
 * Every {@link Shapes query shape} runs over the input of every seed.
 *
 * <p>System properties: {@code differential.seeds} (number of seeds, default 8),
 * {@code differential.firstSeed} (default 1), {@code differential.maxRows} (rows per input at most,
 * default 2500). A longer run: {@code -Ddifferential.seeds=50}.
 */
class DifferentialTest {
  private static final int SEEDS = Integer.getInteger("differential.seeds", 8);
  private static final int FIRST_SEED = Integer.getInteger("differential.firstSeed", 1);
  private static final int MAX_ROWS = Integer.getInteger("differential.maxRows", 2500);

  @TempDir
  static Path dir;

  /** The input of each seed, once its "load" test has written and declared it. */
  private static final Map<Long, BidInput> INPUTS = new ConcurrentHashMap<>();
  private static EngineRunner engine;
  private static DuckDbOracle duck;

  @BeforeAll
  static void start() throws Exception {
    engine = new EngineRunner();
    duck = new DuckDbOracle();
  }

  /** Per shape: cases run, rows compared, cases with an empty result. */
  private static final Map<String, long[]> STATS = new ConcurrentSkipListMap<>();

  @AfterAll
  static void stop() throws Exception {
    long cases = 0;
    long rows = 0;
    StringBuilder empty = new StringBuilder();
    for (Map.Entry<String, long[]> e : STATS.entrySet()) {
      cases += e.getValue()[0];
      rows += e.getValue()[1];
      if (e.getValue()[2] > 0) {
        empty.append(' ').append(e.getKey()).append('(').append(e.getValue()[2]).append(')');
      }
    }
    System.out.println("differential: " + cases + " cases of " + STATS.size() + " shapes passed, " + rows
        + " rows compared; empty results:" + (empty.length() == 0 ? " none" : empty));
    if (engine != null) {
      engine.close();
    }
    if (duck != null) {
      duck.close();
    }
  }

  @TestFactory
  Stream<DynamicNode> engineAgreesWithDuckDb() {
    List<DynamicNode> seeds = new ArrayList<>();
    for (int seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
      long s = seed;
      seeds.add(DynamicContainer.dynamicContainer("seed " + seed,
          Stream.concat(Stream.of(DynamicTest.dynamicTest("load", () -> load(s))),
              Shapes.ALL.stream().map(shape ->
                  DynamicTest.dynamicTest(shape.name(), () -> check(s, shape))))));
    }
    return seeds.stream();
  }

  private static String table(long seed) {
    return "bids_" + seed;
  }

  /** Writes the input of the seed and declares it on both sides; checks both read every row. */
  private static void load(long seed) throws Exception {
    BidInput input = BidInput.generate(seed, dir, MAX_ROWS);
    INPUTS.put(seed, input);
    engine.createStream(table(seed), input);
    duck.load(table(seed), input);
    assertThat(duck.count(table(seed))).as("rows DuckDB read of %s", input).isEqualTo(input.rows);
  }

  static void check(long seed, Shapes.Shape shape) throws Exception {
    BidInput input = INPUTS.get(seed);
    assertThat(input).as("input of seed %d (its load failed?)", seed).isNotNull();
    String engineSql = Shapes.engineSql(shape, table(seed));
    String duckSql = Shapes.duckSql(shape, table(seed));
    EngineRunner.Output out = engine.run(engineSql);
    assertThat(out.lateRows()).as("late rows: the input must have none (%s)", input).isZero();
    Rows.Result expected = duck.query(duckSql);
    String difference = Rows.difference(Rows.ofEngine(out.columns(), out.rows()), expected);
    if (difference != null) {
      throw new AssertionError("shape " + shape.name() + " on " + input + " (" + out.batches() + " batches)"
          + "\n  engine: " + engineSql + "\n  DuckDB: " + duckSql + "\n  " + difference);
    }
    assertThat(engine.allocatedBytes()).as("Arrow memory still allocated after the query").isZero();
    long[] stats = STATS.computeIfAbsent(shape.name(), k -> new long[3]);
    synchronized (stats) {
      stats[0]++;
      stats[1] += expected.rows().size();
      stats[2] += expected.rows().isEmpty() ? 1 : 0;
    }
  }
}

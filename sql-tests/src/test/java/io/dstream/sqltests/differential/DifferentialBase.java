package io.dstream.sqltests.differential;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scaffolding of the differential test classes: one {@link EngineRunner} and one
 * {@link DuckDbOracle} per class, and per seed a container "seed N" of a "load" test (which
 * generates the seed's input and declares it on both sides) followed by one test per shape, which
 * runs the shape as a push query on the engine and as a batch query on DuckDB, fails on any
 * {@link Rows#difference difference} and checks that the engine holds no Arrow memory after it.
 * A subclass keeps what differs: its inputs ({@link #generate}, {@link #declare}), its SQL
 * ({@link #engineSql}, {@link #duckSql}), how the engine's output reads as rows
 * ({@link #engineRows}) and checks of its own ({@link #agreed}, {@link #finished}).
 *
 * <p>System properties: {@code differential.seeds} (number of seeds, default 8),
 * {@code differential.firstSeed} (default 1), {@code differential.maxRows} (rows per input at most,
 * default 2500). A longer run: {@code -Ddifferential.seeds=50}.
 *
 * @param <I> the input of a seed
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DifferentialBase<I> {
  static final int SEEDS = Integer.getInteger("differential.seeds", 8);
  static final int FIRST_SEED = Integer.getInteger("differential.firstSeed", 1);
  static final int MAX_ROWS = Integer.getInteger("differential.maxRows", 2500);

  private final String tablePrefix;
  private final int firstSeed;
  private final int seeds;
  /** The input of each seed, once its "load" test has generated it. */
  private final Map<Long, I> inputs = new ConcurrentHashMap<>();

  /** Where the inputs are written; a temporary directory of the class. */
  Path dir;
  EngineRunner engine;
  DuckDbOracle duck;

  /**
   * @param tablePrefix the name of a seed's table, before the seed ({@link #table})
   * @param firstSeed the first seed
   * @param seeds the number of seeds
   */
  DifferentialBase(String tablePrefix, int firstSeed, int seeds) {
    this.tablePrefix = tablePrefix;
    this.firstSeed = firstSeed;
    this.seeds = seeds;
  }

  @BeforeAll
  final void startEngines(@TempDir Path dir) throws Exception {
    this.dir = dir;
    engine = new EngineRunner();
    duck = new DuckDbOracle();
    started();
  }

  @AfterAll
  final void stopEngines() throws Exception {
    try {
      finished();
    } finally {
      if (engine != null) {
        engine.close();
      }
      if (duck != null) {
        duck.close();
      }
    }
  }

  /** Called once the engine and DuckDB are up, before any test: declarations of the class. */
  void started() throws Exception {}

  /** Called after all tests of the class, before the engine and DuckDB close. */
  void finished() {}

  /** The number of seeds whose input was generated. */
  final int loadedSeeds() {
    return inputs.size();
  }

  /** One container "seed N" per seed: a "load" test, then one test per shape. */
  final Stream<DynamicNode> seeds(List<Shapes.Shape> shapes) {
    List<DynamicNode> containers = new ArrayList<>();
    for (int seed = firstSeed; seed < firstSeed + seeds; seed++) {
      long s = seed;
      containers.add(DynamicContainer.dynamicContainer("seed " + seed,
          Stream.concat(Stream.of(DynamicTest.dynamicTest("load", () -> load(s))),
              shapes.stream().map(shape -> DynamicTest.dynamicTest(shape.name(), () -> check(s, shape))))));
    }
    return containers.stream();
  }

  /** The table of the seed: the prefix and the seed. */
  final String table(long seed) {
    return tablePrefix + seed;
  }

  /** Writes the input of the seed (no declaration yet). */
  abstract I generate(long seed) throws Exception;

  /** Declares the input of the seed to the engine and to DuckDB, and checks what DuckDB read. */
  abstract void declare(long seed, I input) throws Exception;

  /** The engine's query of the shape over the seed's input. */
  String engineSql(long seed, Shapes.Shape shape) {
    return Shapes.engineSql(shape, table(seed));
  }

  /** DuckDB's query of the shape over the seed's input. */
  String duckSql(long seed, Shapes.Shape shape) {
    return Shapes.duckSql(shape, table(seed));
  }

  /** The engine's output as the rows to compare with DuckDB's result: by default, as it is. */
  Rows.Result engineRows(Shapes.Shape shape, EngineRunner.Output out, String engineSql) {
    return Rows.ofEngine(out.columns(), out.rows());
  }

  /** Checks of the subclass once the engine agreed with DuckDB's result {@code expected}. */
  void agreed(Shapes.Shape shape, EngineRunner.Output out, Rows.Result expected) {}

  private void load(long seed) throws Exception {
    I input = generate(seed);
    inputs.put(seed, input);
    declare(seed, input);
  }

  private void check(long seed, Shapes.Shape shape) throws Exception {
    I input = inputs.get(seed);
    assertThat(input).as("input of seed %d (its load failed?)", seed).isNotNull();
    String engineSql = engineSql(seed, shape);
    String duckSql = duckSql(seed, shape);
    EngineRunner.Output out = engine.run(engineSql);
    assertThat(out.lateRows()).as("late rows: the input must have none (%s)", input).isZero();
    Rows.Result expected = duck.query(duckSql);
    String difference = Rows.difference(engineRows(shape, out, engineSql), expected);
    if (difference != null) {
      throw new AssertionError("shape " + shape.name() + " on " + input + " (" + out.batches() + " batches, "
          + out.rows().size() + " rows)\n  engine: " + engineSql + "\n  DuckDB: " + duckSql + "\n  " + difference);
    }
    agreed(shape, out, expected);
    assertThat(engine.allocatedBytes()).as("Arrow memory still allocated after the query").isZero();
  }
}

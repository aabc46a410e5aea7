package io.dstream.sqltests.differential;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Differential tests: the engine's complete output over a bounded csv input, run as a push query
 * on a manual clock, against the same query run as a batch query by DuckDB over the same file.
 * Every {@link Shapes query shape} runs over the input of every seed.
 *
 * <p>System properties: {@code differential.seeds} (number of seeds, default 8),
 * {@code differential.firstSeed} (default 1), {@code differential.maxRows} (rows per input at most,
 * default 2500). A longer run: {@code -Ddifferential.seeds=50}.
 */
class DifferentialTest extends DifferentialBase<BidInput> {
  /** Per shape: cases run, rows compared, cases with an empty result. */
  private final Map<String, long[]> stats = new ConcurrentSkipListMap<>();

  DifferentialTest() {
    super("bids_", FIRST_SEED, SEEDS);
  }

  @TestFactory
  Stream<DynamicNode> engineAgreesWithDuckDb() {
    return seeds(Shapes.ALL);
  }

  @Override
  BidInput generate(long seed) throws Exception {
    return BidInput.generate(seed, dir, MAX_ROWS);
  }

  /** Declares the input on both sides; checks DuckDB reads every row. */
  @Override
  void declare(long seed, BidInput input) throws Exception {
    engine.createStream(table(seed), input);
    duck.load(table(seed), input);
    assertThat(duck.count(table(seed))).as("rows DuckDB read of %s", input).isEqualTo(input.rows);
  }

  @Override
  void agreed(Shapes.Shape shape, EngineRunner.Output out, Rows.Result expected) {
    long[] counts = stats.computeIfAbsent(shape.name(), k -> new long[3]);
    synchronized (counts) {
      counts[0]++;
      counts[1] += expected.rows().size();
      counts[2] += expected.rows().isEmpty() ? 1 : 0;
    }
  }

  @Override
  void finished() {
    long cases = 0;
    long rows = 0;
    StringBuilder empty = new StringBuilder();
    for (Map.Entry<String, long[]> e : stats.entrySet()) {
      cases += e.getValue()[0];
      rows += e.getValue()[1];
      if (e.getValue()[2] > 0) {
        empty.append(' ').append(e.getKey()).append('(').append(e.getValue()[2]).append(')');
      }
    }
    System.out.println("differential: " + cases + " cases of " + stats.size() + " shapes passed, " + rows
        + " rows compared; empty results:" + (empty.length() == 0 ? " none" : empty));
  }
}

package io.dstream.sqltests.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Differential tests of EMIT CHANGES: the engine's changelog over a bounded input, applied in
 * order (+I and +U add a row, -U and -D remove one equal row, which must be there), must rebuild
 * exactly the result DuckDB computes as a batch query over the same rows. Same inputs and
 * properties as {@link DifferentialTest} ({@code differential.seeds} and so on).
 */
class ChangelogDifferentialTest extends DifferentialBase<BidInput> {
  private static final String AGGS = "COUNT(*) AS n, COUNT(price) AS np, SUM(price) AS total,"
      + " MIN(price) AS lo, MAX(price) AS hi";
  private static final String DUCK_AGGS = "COUNT(*), COUNT(price), SUM(price), MIN(price), MAX(price)";

  static final List<Shapes.Shape> SHAPES = List.of(
      new Shapes.Shape("changes_by_auction",
          "SELECT STREAM auction, " + AGGS + " FROM $t GROUP BY auction EMIT CHANGES",
          "SELECT auction, " + DUCK_AGGS + " FROM $t GROUP BY auction"),
      new Shapes.Shape("changes_by_channel_and_bidder_mod",
          "SELECT STREAM channel, MOD(bidder, 3) AS b3, " + AGGS + " FROM $t GROUP BY channel, MOD(bidder, 3)"
              + " EMIT CHANGES",
          "SELECT channel, bidder % 3, " + DUCK_AGGS + " FROM $t GROUP BY channel, bidder % 3"),
      new Shapes.Shape("changes_having",
          "SELECT STREAM auction, COUNT(*) AS n FROM $t GROUP BY auction HAVING COUNT(*) BETWEEN 2 AND 4"
              + " EMIT CHANGES",
          "SELECT auction, COUNT(*) FROM $t GROUP BY auction HAVING COUNT(*) BETWEEN 2 AND 4"),
      new Shapes.Shape("changes_global",
          "SELECT STREAM COUNT(*) AS n, SUM(price) AS total FROM $t GROUP BY 'all' EMIT CHANGES",
          "SELECT COUNT(*), SUM(price) FROM $t"),
      new Shapes.Shape("changes_tumble10_by_auction",
          "SELECT STREAM auction, TUMBLE_END(date_time, INTERVAL '10' SECOND) AS we, " + AGGS
              + " FROM $t GROUP BY TUMBLE(date_time, INTERVAL '10' SECOND), auction EMIT CHANGES",
          "SELECT auction, window_end, " + DUCK_AGGS + " FROM $w10_10_0 GROUP BY window_start, window_end, auction"),
      new Shapes.Shape("changes_projection",
          "SELECT STREAM auction, price * 2 AS p2 FROM $t WHERE price > 100 EMIT CHANGES",
          "SELECT auction, price * 2 FROM $t WHERE price > 100"));

  /** -U and -D rows seen over all cases: inputs read in one batch have none, but most are read in many. */
  private final AtomicLong updates = new AtomicLong();

  ChangelogDifferentialTest() {
    super("cbids_", FIRST_SEED, SEEDS);
  }

  @TestFactory
  Stream<DynamicNode> changelogRebuildsDuckDbResult() {
    return seeds(SHAPES);
  }

  @Override
  BidInput generate(long seed) throws Exception {
    return BidInput.generate(seed, dir, MAX_ROWS);
  }

  @Override
  void declare(long seed, BidInput input) throws Exception {
    engine.createStream(table(seed), input);
    duck.load(table(seed), input);
  }

  /** The result the changelog rebuilds, applied in order; fails on a retraction of a row not there. */
  @Override
  Rows.Result engineRows(Shapes.Shape shape, EngineRunner.Output out, String engineSql) {
    RowType columns = out.columns();
    assertThat(columns.column(0).name()).isEqualTo("op");
    RowType values = new RowType(columns.columns().subList(1, columns.size()));
    Rows.Result changes = Rows.ofEngine(columns, out.rows());
    Map<List<Object>, Integer> table = new HashMap<>();
    for (List<Object> change : changes.rows()) {
      String op = (String) change.get(0);
      List<Object> row = change.subList(1, change.size());
      switch (op) {
        case "+I", "+U" -> table.merge(row, 1, Integer::sum);
        case "-U", "-D" -> {
          Integer n = table.get(row);
          if (n == null) {
            throw new AssertionError(shape.name() + ": " + op + " of a row not in the result: " + row
                + "\n  engine: " + engineSql);
          }
          if (n == 1) {
            table.remove(row);
          } else {
            table.put(row, n - 1);
          }
        }
        default -> throw new AssertionError("unknown operation " + op);
      }
    }
    List<Object[]> rebuilt = new ArrayList<>();
    for (Map.Entry<List<Object>, Integer> e : table.entrySet()) {
      for (int i = 0; i < e.getValue(); i++) {
        rebuilt.add(e.getKey().stream().map(v -> v instanceof Rows.Ts ts ? (Object) ts.millis() : v).toArray());
      }
    }
    return Rows.ofEngine(values, rebuilt);
  }

  /** Counts the case's -U and -D rows. */
  @Override
  void agreed(Shapes.Shape shape, EngineRunner.Output out, Rows.Result expected) {
    updates.addAndGet(out.rows().stream().filter(r -> "-U".equals(r[0]) || "-D".equals(r[0])).count());
  }

  @Override
  void finished() {
    System.out.println("changelog differential: " + updates.get() + " update-before rows applied");
    if (loadedSeeds() > 1) {
      assertThat(updates.get()).as("update-before rows over all cases").isPositive();
    }
  }
}

package io.dstream.executor.kernel;

import static io.dstream.executor.kernel.Exprs.call;
import static io.dstream.executor.kernel.Exprs.ref;
import static io.dstream.executor.kernel.TestBatches.BIGINT;
import static io.dstream.executor.kernel.TestBatches.BOOLEAN;
import static io.dstream.executor.kernel.TestBatches.DOUBLE;
import static io.dstream.executor.kernel.TestBatches.VARCHAR;
import static io.dstream.executor.kernel.TestBatches.batch;
import static io.dstream.executor.kernel.TestBatches.row;
import static io.dstream.executor.kernel.TestBatches.rowType;
import static io.dstream.executor.kernel.TestBatches.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.plan.Operator;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LookupJoinKernelTest {
  private static final RowType TABLE = rowType("id", BIGINT, "name", VARCHAR, "rate", DOUBLE);
  private static final RowType STREAM = rowType("k", BIGINT, "tag", VARCHAR);
  private static final RowType JOINED = rowType("k", BIGINT, "tag", VARCHAR, "id", BIGINT, "name", VARCHAR,
      "rate", DOUBLE);

  private final BufferAllocator root = new RootAllocator();
  private final BufferAllocator tables = root.newChildAllocator("tables", 0, Long.MAX_VALUE);
  private final BufferAllocator tasks = root.newChildAllocator("tasks", 0, Long.MAX_VALUE);
  private final KernelContext context = new KernelContext(tasks, Long.MIN_VALUE);

  @AfterEach
  void closeAllocators() {
    tasks.close();
    tables.close();
    root.close();
  }

  private LookupTable table() {
    return LookupTable.build(batch(tables, TABLE,
        new Object[] {1L, "one", 1.0},
        new Object[] {2L, "two", 2.0},
        new Object[] {2L, "deux", 0.5},
        new Object[] {null, "none", 9.0},
        new Object[] {4L, "four", null}), new int[] {0});
  }

  private ColumnBatch stream() {
    return batch(tasks, STREAM,
        new Object[] {2L, "a"},
        new Object[] {3L, "b"},
        new Object[] {null, "c"},
        new Object[] {1L, "d"},
        new Object[] {4L, "e"});
  }

  @Test
  void innerJoinEmitsEveryMatchInTableOrderAndNullKeysNeverMatch() {
    try (LookupJoinKernel join = new LookupJoinKernel(table(), new int[] {0}, false, null, false, JOINED);
        ColumnBatch out = join.apply(stream(), context)) {
      assertThat(rows(out)).containsExactly(
          row(2L, "a", 2L, "two", 2.0),
          row(2L, "a", 2L, "deux", 0.5),
          row(1L, "d", 1L, "one", 1.0),
          row(4L, "e", 4L, "four", null));
    }
  }

  @Test
  void leftJoinKeepsRowsWithoutMatchOnceWithNulls() {
    try (LookupJoinKernel join = new LookupJoinKernel(table(), new int[] {0}, true, null, false, JOINED);
        ColumnBatch out = join.apply(stream(), context)) {
      assertThat(rows(out)).containsExactly(
          row(2L, "a", 2L, "two", 2.0),
          row(2L, "a", 2L, "deux", 0.5),
          row(3L, "b", null, null, null),
          row(null, "c", null, null, null),
          row(1L, "d", 1L, "one", 1.0),
          row(4L, "e", 4L, "four", null));
    }
  }

  @Test
  void conditionFiltersPairsAndLeftJoinKeepsRowsWhoseMatchesAllFail() {
    // rate > 1.5 (NULL rate: unknown, so not a match)
    var condition = call(Operator.GREATER_THAN, BOOLEAN, ref(4, DOUBLE), Exprs.lit(1.5, DOUBLE));
    try (LookupJoinKernel inner = new LookupJoinKernel(table(), new int[] {0}, false, condition, false, JOINED);
        ColumnBatch out = inner.apply(stream(), context)) {
      assertThat(rows(out)).containsExactly(row(2L, "a", 2L, "two", 2.0));
    }
    try (LookupJoinKernel left = new LookupJoinKernel(table(), new int[] {0}, true, condition, false, JOINED);
        ColumnBatch out = left.apply(stream(), context)) {
      assertThat(rows(out)).containsExactly(
          row(2L, "a", 2L, "two", 2.0),
          row(3L, "b", null, null, null),
          row(null, "c", null, null, null),
          row(1L, "d", null, null, null),
          row(4L, "e", null, null, null));
    }
  }

  @Test
  void tableColumnsComeFirstWhenAsked() {
    RowType type = rowType("id", BIGINT, "name", VARCHAR, "rate", DOUBLE, "k", BIGINT, "tag", VARCHAR);
    try (LookupJoinKernel join = new LookupJoinKernel(table(), new int[] {0}, false, null, true, type);
        ColumnBatch out = join.apply(batch(tasks, STREAM, new Object[] {1L, "x"}), context)) {
      assertThat(out.rowType()).isEqualTo(type);
      assertThat(rows(out)).containsExactly(row(1L, "one", 1.0, 1L, "x"));
    }
  }

  @Test
  void multiColumnStringAndDoubleKeys() {
    RowType tableType = rowType("country", VARCHAR, "score", DOUBLE, "ok", BOOLEAN, "label", VARCHAR);
    LookupTable table = LookupTable.build(batch(tables, tableType,
        new Object[] {"de", 0.0, true, "de-zero"},
        new Object[] {"de", 1.5, true, "de-one-and-half"},
        new Object[] {"fr", 0.0, false, "fr-zero"},
        new Object[] {"", 0.0, true, "empty"},
        new Object[] {"de", 0.0, true, "de-zero-again"}), new int[] {0, 1, 2});
    RowType streamType = rowType("c", VARCHAR, "s", DOUBLE, "b", BOOLEAN);
    RowType joined = rowType("c", VARCHAR, "s", DOUBLE, "b", BOOLEAN, "country", VARCHAR, "score", DOUBLE,
        "ok", BOOLEAN, "label", VARCHAR);
    try (LookupJoinKernel join = new LookupJoinKernel(table, new int[] {0, 1, 2}, true, null, false, joined);
        ColumnBatch out = join.apply(batch(tasks, streamType,
            new Object[] {"de", -0.0, true},
            new Object[] {"fr", 0.0, true},
            new Object[] {"", 0.0, true},
            new Object[] {"d", 0.0, true},
            new Object[] {"de", 1.5, null}), context)) {
      List<Object> labels = new ArrayList<>();
      for (List<Object> r : rows(out)) {
        labels.add(r.get(6));
      }
      assertThat(labels).containsExactly("de-zero", "de-zero-again", null, "empty", null, null);
    }
  }

  @Test
  void manyRowsAndKeysProbeLikeANestedLoop() {
    int n = 5000;
    Object[][] tableRows = new Object[n][];
    for (int i = 0; i < n; i++) {
      tableRows[i] = new Object[] {(long) (i % 1700) * 7919, "t" + i, (double) i};
    }
    Object[][] streamRows = new Object[3 * n][];
    for (int i = 0; i < streamRows.length; i++) {
      streamRows[i] = new Object[] {(long) (i % 2500) * 7919, "s" + i};
    }
    try (LookupJoinKernel join = new LookupJoinKernel(LookupTable.build(batch(tables, TABLE, tableRows),
        new int[] {0}), new int[] {0}, false, null, false, JOINED);
        ColumnBatch out = join.apply(batch(tasks, STREAM, streamRows), context)) {
      List<List<Object>> expected = new ArrayList<>();
      for (Object[] s : streamRows) {
        for (Object[] t : tableRows) {
          if (s[0].equals(t[0])) {
            expected.add(row(s[0], s[1], t[0], t[1], t[2]));
          }
        }
      }
      assertThat(rows(out)).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void tableIsFreedWhenTheLastReferenceGoes() {
    LookupJoinKernel join = new LookupJoinKernel(table(), new int[] {0}, false, null, false, JOINED);
    assertThat(tables.getAllocatedMemory()).isPositive();
    join.close();
    join.close();
    assertThat(tables.getAllocatedMemory()).isZero();
    ColumnBatch input = stream();
    assertThatThrownBy(() -> join.apply(input, context))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("the query was uninstalled");
  }

  @Test
  void emptyTableAndEmptyBatch() {
    try (LookupJoinKernel join = new LookupJoinKernel(LookupTable.build(batch(tables, TABLE), new int[] {0}),
        new int[] {0}, true, null, false, JOINED)) {
      try (ColumnBatch out = join.apply(stream(), context)) {
        assertThat(out.rowCount()).isEqualTo(5);
        assertThat(rows(out).get(0)).isEqualTo(row(2L, "a", null, null, null));
      }
      try (ColumnBatch out = join.apply(batch(tasks, STREAM), context)) {
        assertThat(out.rowCount()).isZero();
      }
    }
  }
}

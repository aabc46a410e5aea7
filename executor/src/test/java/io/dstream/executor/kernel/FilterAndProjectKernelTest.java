package io.dstream.executor.kernel;

import static io.dstream.executor.kernel.Exprs.call;
import static io.dstream.executor.kernel.Exprs.lit;
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
import io.dstream.executor.error.EngineException;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.Operator;
import io.dstream.executor.type.RowType;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FilterAndProjectKernelTest {
  private static final RowType INPUT = rowType("id", BIGINT, "name", VARCHAR, "score", DOUBLE, "ok", BOOLEAN);

  private final BufferAllocator allocator = new RootAllocator();
  private final KernelContext context = new KernelContext(allocator, Long.MIN_VALUE);

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  private ColumnBatch input() {
    return batch(allocator, INPUT,
        new Object[] {1L, "a", 1.5, true},
        new Object[] {2L, null, null, false},
        new Object[] {3L, "ccc", 3.5, null},
        new Object[] {null, "d", 4.5, true});
  }

  @Test
  void filterKeepsOnlyTrueRows() {
    try (ColumnBatch out = new FilterKernel(ref(3, BOOLEAN)).apply(input(), context)) {
      assertThat(out.rowType()).isEqualTo(INPUT);
      assertThat(rows(out)).containsExactly(row(1L, "a", 1.5, true), row(null, "d", 4.5, true));
    }
  }

  @Test
  void filterDropsRowsWhoseConditionIsNull() {
    Expr idAboveOne = call(Operator.GREATER_THAN, BOOLEAN, ref(0, BIGINT), lit(1L, BIGINT));
    try (ColumnBatch out = new FilterKernel(idAboveOne).apply(input(), context)) {
      assertThat(rows(out)).containsExactly(row(2L, null, null, false), row(3L, "ccc", 3.5, null));
    }
  }

  @Test
  void filterWithNoMatchReturnsAnEmptyBatch() {
    try (ColumnBatch out = new FilterKernel(lit(false, BOOLEAN)).apply(input(), context)) {
      assertThat(out.rowCount()).isZero();
      assertThat(out.rowType()).isEqualTo(INPUT);
    }
  }

  @Test
  void filterPassingEveryRowSharesTheInputBuffers() {
    ColumnBatch in = input();
    long idData = in.vector(0).getDataBuffer().memoryAddress();
    long scoreData = in.vector(2).getDataBuffer().memoryAddress();
    long nameData = in.vector(1).getDataBuffer().memoryAddress();
    long before = allocator.getAllocatedMemory();
    try (ColumnBatch out = new FilterKernel(lit(true, BOOLEAN)).apply(in, context)) {
      assertThat(out.vector(0).getDataBuffer().memoryAddress()).isEqualTo(idData);
      assertThat(out.vector(1).getDataBuffer().memoryAddress()).isEqualTo(nameData);
      assertThat(out.vector(2).getDataBuffer().memoryAddress()).isEqualTo(scoreData);
      assertThat(allocator.getAllocatedMemory()).isLessThanOrEqualTo(before);
      assertThat(rows(out)).hasSize(4).first().isEqualTo(row(1L, "a", 1.5, true));
    }
  }

  @Test
  void filterFailureReleasesTheInput() {
    Expr divideByZero = call(Operator.EQUALS, BOOLEAN,
        call(Operator.DIVIDE, BIGINT, ref(0, BIGINT), lit(0L, BIGINT)), lit(1L, BIGINT));
    assertThatThrownBy(() -> new FilterKernel(divideByZero).apply(input(), context))
        .isInstanceOf(EngineException.class);
    // the allocator closes cleanly in @AfterEach: nothing leaked
  }

  @Test
  void projectSharesColumnReferencesAndComputesOtherColumns() {
    RowType outType = rowType("name", VARCHAR, "id2", BIGINT, "tag", VARCHAR, "id", BIGINT, "half", DOUBLE);
    List<Expr> exprs = List.of(
        ref(1, VARCHAR),
        call(Operator.TIMES, BIGINT, ref(0, BIGINT), lit(2L, BIGINT)),
        lit("x", VARCHAR),
        ref(0, BIGINT),
        call(Operator.DIVIDE, DOUBLE, ref(2, DOUBLE), lit(2.0, DOUBLE)));
    ColumnBatch in = input();
    long idData = in.vector(0).getDataBuffer().memoryAddress();
    try (ColumnBatch out = new ProjectKernel(exprs, outType).apply(in, context)) {
      assertThat(out.rowType()).isEqualTo(outType);
      assertThat(out.vector(3).getDataBuffer().memoryAddress()).isEqualTo(idData);
      assertThat(out.vector(0).getField().getName()).isEqualTo("name");
      assertThat(out.vector(1).getField().getName()).isEqualTo("id2");
      assertThat(rows(out)).containsExactly(
          row("a", 2L, "x", 1L, 0.75),
          row(null, 4L, "x", 2L, null),
          row("ccc", 6L, "x", 3L, 1.75),
          row("d", null, "x", null, 2.25));
    }
  }

  @Test
  void projectCastsComputedColumnsToTheOutputPhysicalTypeAndFillsNullLiterals() {
    RowType outType = rowType("next", DOUBLE, "nothing", VARCHAR);
    Expr next = call(Operator.PLUS, BIGINT, ref(0, BIGINT), lit(1L, BIGINT));
    try (ColumnBatch out = new ProjectKernel(List.of(next, lit(null, VARCHAR)), outType).apply(input(), context)) {
      assertThat(rows(out)).containsExactly(row(2.0, null), row(3.0, null), row(4.0, null), row(null, null));
    }
  }

  @Test
  void projectCastsColumnReferencesToTheOutputPhysicalType() {
    RowType outType = rowType("id", DOUBLE);
    try (ColumnBatch out = new ProjectKernel(List.of(ref(0, BIGINT)), outType).apply(input(), context)) {
      assertThat(rows(out)).containsExactly(row(1.0), row(2.0), row(3.0), row((Object) null));
    }
  }

  @Test
  void projectFailureReleasesComputedColumnsAndInput() {
    List<Expr> exprs = List.of(ref(1, VARCHAR), call(Operator.UPPER, VARCHAR, ref(1, VARCHAR)),
        call(Operator.DIVIDE, BIGINT, ref(0, BIGINT), lit(0L, BIGINT)));
    RowType outType = rowType("a", VARCHAR, "b", VARCHAR, "c", BIGINT);
    assertThatThrownBy(() -> new ProjectKernel(exprs, outType).apply(input(), context))
        .isInstanceOf(EngineException.class)
        .hasMessage("Division by zero");
  }

  @Test
  void kernelsHandleEmptyBatches() {
    ColumnBatch empty = ColumnBatch.empty(INPUT, allocator);
    try (ColumnBatch filtered = new FilterKernel(ref(3, BOOLEAN)).apply(empty, context);
        ColumnBatch projected = new ProjectKernel(List.of(call(Operator.UPPER, VARCHAR, ref(1, VARCHAR))),
            rowType("u", VARCHAR)).apply(ColumnBatch.empty(INPUT, allocator), context)) {
      assertThat(filtered.rowCount()).isZero();
      assertThat(projected.rowCount()).isZero();
    }
  }
}

package io.dstream.executor.kernel;

import static io.dstream.executor.kernel.Exprs.call;
import static io.dstream.executor.kernel.Exprs.evaluate;
import static io.dstream.executor.kernel.Exprs.lit;
import static io.dstream.executor.kernel.Exprs.ref;
import static io.dstream.executor.kernel.TestBatches.BIGINT;
import static io.dstream.executor.kernel.TestBatches.BOOLEAN;
import static io.dstream.executor.kernel.TestBatches.DOUBLE;
import static io.dstream.executor.kernel.TestBatches.INTEGER;
import static io.dstream.executor.kernel.TestBatches.TIMESTAMP;
import static io.dstream.executor.kernel.TestBatches.VARCHAR;
import static io.dstream.executor.kernel.TestBatches.batch;
import static io.dstream.executor.kernel.TestBatches.column;
import static io.dstream.executor.kernel.TestBatches.row;
import static io.dstream.executor.kernel.TestBatches.rowType;
import static io.dstream.executor.kernel.TestBatches.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.function.TestFunctions;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.Operator;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** User-defined function calls in project and filter kernels; the allocator check finds leaks. */
class FunctionCallKernelTest {
  private static final DataType DECIMAL = DataType.decimal(18, 6);

  private final BufferAllocator allocator = new RootAllocator();
  private final KernelContext context = new KernelContext(allocator, Long.MIN_VALUE);

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  private static Expr.FunctionCall udf(Class<?> type, List<String> parameters, DataType result, Expr... operands) {
    return new Expr.FunctionCall("f_" + type.getSimpleName().toLowerCase(), type.getName(), parameters,
        List.of(operands), result);
  }

  @Test
  void staticPrimitiveFunctionGivesNullForANullArgument() {
    Expr bucket = udf(TestFunctions.Bucket.class, List.of("long", "long"), BIGINT, ref(0, BIGINT), lit(100L, BIGINT));
    assertThat(evaluate(bucket, column(allocator, BIGINT, 250L, null, -1L, 99L), allocator))
        .containsExactly(2L, null, -1L, 0L);
  }

  @Test
  void boxedParameterReceivesNull() {
    Expr orMinusOne = udf(TestFunctions.OrMinusOne.class, List.of("java.lang.Long"), BIGINT, ref(0, INTEGER));
    assertThat(evaluate(orMinusOne, column(allocator, INTEGER, 5L, null), allocator)).containsExactly(5L, -1L);
  }

  @Test
  void instanceOverloadsWithStringsAndInts() {
    Expr one = udf(TestFunctions.Shout.class, List.of("java.lang.String"), VARCHAR, ref(0, VARCHAR));
    Expr two = udf(TestFunctions.Shout.class, List.of("java.lang.String", "int"), VARCHAR, ref(0, VARCHAR),
        lit(2L, INTEGER));
    assertThat(evaluate(one, column(allocator, VARCHAR, "ab", null, "ü"), allocator))
        .containsExactly("AB!", null, "Ü!");
    assertThat(evaluate(two, column(allocator, VARCHAR, "ab", null), allocator))
        .containsExactly("ab!ab!", "null!null!");
  }

  @Test
  void decimalTimestampAndBooleanConversions() {
    DataType money = DataType.decimal(10, 2);
    Expr triple = udf(TestFunctions.Conversions.class, List.of("java.math.BigDecimal"), DECIMAL, ref(0, money));
    assertThat(evaluate(triple, column(allocator, money, new BigDecimal("1.25"), null), allocator))
        .containsExactly(new BigDecimal("3.750000"), null);
    Expr later = udf(TestFunctions.Conversions.class, List.of("java.sql.Timestamp", "int"), TIMESTAMP,
        ref(0, TIMESTAMP), lit(5L, INTEGER));
    assertThat(evaluate(later, column(allocator, TIMESTAMP, 1_000L), allocator)).containsExactly(1_005L);
    Expr nextDay = udf(TestFunctions.Conversions.class, List.of("java.time.LocalDateTime"), TIMESTAMP,
        ref(0, TIMESTAMP));
    assertThat(evaluate(nextDay, column(allocator, TIMESTAMP, -1L), allocator)).containsExactly(86_400_000L - 1);
    Expr sign = udf(TestFunctions.Conversions.class, List.of("double"), BOOLEAN, ref(0, DOUBLE));
    assertThat(evaluate(sign, column(allocator, DOUBLE, 2.0, -1.0, 0.0, null), allocator))
        .containsExactly(true, false, null, null);
  }

  @Test
  void functionInsideOtherExpressionsAndAFilter() {
    RowType input = rowType("price", BIGINT, "name", VARCHAR);
    Expr bucket = udf(TestFunctions.Bucket.class, List.of("long", "long"), BIGINT, ref(0, BIGINT), lit(10L, BIGINT));
    Expr condition = call(Operator.GREATER_THAN, BOOLEAN, bucket, lit(1L, BIGINT));
    ColumnBatch in = batch(allocator, input, new Object[] {5L, "a"}, new Object[] {25L, "b"},
        new Object[] {null, "c"}, new Object[] {40L, "d"});
    try (ColumnBatch out = new FilterKernel(condition).apply(in, context)) {
      assertThat(rows(out)).containsExactly(row(25L, "b"), row(40L, "d"));
    }
  }

  @Test
  void anExceptionFailsTheBatchNamingTheFunction() {
    Expr inverse = udf(TestFunctions.Inverse.class, List.of("long"), BIGINT, ref(0, BIGINT));
    ColumnBatch in = column(allocator, BIGINT, 4L, 0L);
    ProjectKernel kernel = new ProjectKernel(List.of(inverse), rowType("e", BIGINT));
    assertThatThrownBy(() -> kernel.apply(in, context))
        .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FUNCTION_ERROR))
        .hasMessage("Function f_inverse failed: " + TestFunctions.Inverse.class.getName()
            + ".eval(long) threw java.lang.ArithmeticException: / by zero");
  }

  @Test
  void aMissingClassFailsWhenTheKernelIsBuilt() {
    Expr missing = new Expr.FunctionCall("nope", "com.example.Nope", List.of("long"), List.of(ref(0, BIGINT)), BIGINT);
    assertThatThrownBy(() -> new ProjectKernel(List.of(missing), rowType("e", BIGINT)))
        .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
        .hasMessageStartingWith("Function nope: class com.example.Nope is not on the classpath");
    assertThatThrownBy(() -> new FilterKernel(call(Operator.IS_NULL, BOOLEAN, missing)))
        .hasMessageStartingWith("Function nope: class com.example.Nope is not on the classpath");
  }

  @Test
  void largeBatchWithNulls() {
    int n = 10_000;
    Object[] values = new Object[n];
    for (int i = 0; i < n; i++) {
      values[i] = i % 7 == 0 ? null : (long) i;
    }
    Expr bucket = udf(TestFunctions.Bucket.class, List.of("long", "long"), BIGINT, ref(0, BIGINT), lit(100L, BIGINT));
    List<Object> out = evaluate(bucket, column(allocator, BIGINT, values), allocator);
    Object[] expected = new Object[n];
    for (int i = 0; i < n; i++) {
      expected[i] = values[i] == null ? null : (long) i / 100;
    }
    assertThat(out).containsExactlyElementsOf(Arrays.asList(expected));
  }
}

package io.dstream.executor.kernel;

import static io.dstream.executor.kernel.Exprs.call;
import static io.dstream.executor.kernel.Exprs.decLit;
import static io.dstream.executor.kernel.Exprs.decimal;
import static io.dstream.executor.kernel.Exprs.evaluate;
import static io.dstream.executor.kernel.Exprs.lit;
import static io.dstream.executor.kernel.Exprs.ref;
import static io.dstream.executor.kernel.TestBatches.BIGINT;
import static io.dstream.executor.kernel.TestBatches.DATE;
import static io.dstream.executor.kernel.TestBatches.DOUBLE;
import static io.dstream.executor.kernel.TestBatches.INTERVAL_DAY_TIME;
import static io.dstream.executor.kernel.TestBatches.INTERVAL_YEAR_MONTH;
import static io.dstream.executor.kernel.TestBatches.TIMESTAMP;
import static io.dstream.executor.kernel.TestBatches.batch;
import static io.dstream.executor.kernel.TestBatches.column;
import static io.dstream.executor.kernel.TestBatches.dec;
import static io.dstream.executor.kernel.TestBatches.rowType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.Operator;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import io.dstream.executor.type.Timestamps;
import java.util.Arrays;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ArithmeticTest {
  private static final RowType LONGS = rowType("a", BIGINT, "b", BIGINT);

  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  private ColumnBatch longs(Object[]... rows) {
    return batch(allocator, LONGS, rows);
  }

  private Object[] pair(Object a, Object b) {
    return new Object[] {a, b};
  }

  private Expr bigint(Operator op) {
    return call(op, BIGINT, ref(0, BIGINT), ref(1, BIGINT));
  }

  @Test
  void bigintArithmeticPropagatesNulls() {
    Object[][] rows = {pair(7L, 2L), pair(-7L, 2L), pair(null, 3L), pair(5L, null)};
    assertThat(evaluate(bigint(Operator.PLUS), longs(rows), allocator)).containsExactly(9L, -5L, null, null);
    assertThat(evaluate(bigint(Operator.MINUS), longs(rows), allocator)).containsExactly(5L, -9L, null, null);
    assertThat(evaluate(bigint(Operator.TIMES), longs(rows), allocator)).containsExactly(14L, -14L, null, null);
    assertThat(evaluate(bigint(Operator.MOD), longs(rows), allocator)).containsExactly(1L, -1L, null, null);
  }

  @Test
  void integerDivisionTruncatesTowardZero() {
    assertThat(evaluate(bigint(Operator.DIVIDE),
        longs(pair(7L, 2L), pair(-7L, 2L), pair(7L, -2L), pair(1L, 3L), pair(null, 0L)), allocator))
        .containsExactly(3L, -3L, -3L, 0L, null);
  }

  @Test
  void integerDivisionByZeroIsBadInputData() {
    assertThatThrownBy(() -> evaluate(bigint(Operator.DIVIDE), longs(pair(1L, 1L), pair(4L, 0L)), allocator))
        .isInstanceOf(EngineException.class)
        .hasMessage("Division by zero")
        .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo(ErrorCode.BAD_INPUT_DATA));
    assertThatThrownBy(() -> evaluate(bigint(Operator.MOD), longs(pair(4L, 0L)), allocator))
        .isInstanceOf(EngineException.class)
        .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo(ErrorCode.BAD_INPUT_DATA));
  }

  @Test
  void decimalDivisionByZeroIsBadInputData() {
    DataType price = decimal(10, 2);
    Expr e = call(Operator.DIVIDE, decimal(19, 6), ref(0, price), decLit("0.00"));
    assertThatThrownBy(() -> evaluate(e, column(allocator, price, dec("1.00")), allocator))
        .isInstanceOf(EngineException.class)
        .satisfies(x -> assertThat(((EngineException) x).code()).isEqualTo(ErrorCode.BAD_INPUT_DATA));
  }

  @Test
  void decimalTimesDecimalKeepsExactScaleOrRoundsHalfUp() {
    DataType price = decimal(10, 2);
    // 0.908 * price: exact at scale 5, or rounded half up (away from zero) at scale 3 or 2.
    Object[] prices = {dec("12.35"), dec("1.25"), dec("-1.25"), null};
    assertThat(evaluate(call(Operator.TIMES, decimal(14, 5), decLit("0.908"), ref(0, price)),
        column(allocator, price, prices), allocator))
        .containsExactly(dec("11.21380"), dec("1.13500"), dec("-1.13500"), null);
    assertThat(evaluate(call(Operator.TIMES, decimal(14, 3), decLit("0.908"), ref(0, price)),
        column(allocator, price, prices), allocator))
        .containsExactly(dec("11.214"), dec("1.135"), dec("-1.135"), null);
    assertThat(evaluate(call(Operator.TIMES, decimal(14, 2), decLit("0.908"), ref(0, price)),
        column(allocator, price, prices), allocator))
        .containsExactly(dec("11.21"), dec("1.14"), dec("-1.14"), null);
    // A result scale above the operands' sum scales up.
    assertThat(evaluate(call(Operator.TIMES, decimal(19, 6), decLit("0.5"), ref(0, price)),
        column(allocator, price, dec("3.03")), allocator))
        .containsExactly(dec("1.515000"));
  }

  @Test
  void decimalPlusMinusBigintAlignsScales() {
    RowType type = rowType("d", decimal(10, 2), "n", BIGINT);
    Expr plus = call(Operator.PLUS, decimal(20, 2), ref(0, decimal(10, 2)), ref(1, BIGINT));
    Expr minus = call(Operator.MINUS, decimal(20, 2), ref(1, BIGINT), ref(0, decimal(10, 2)));
    Object[][] rows = {{dec("1.50"), 2L}, {dec("-0.05"), 0L}, {null, 1L}};
    assertThat(evaluate(plus, batch(allocator, type, rows), allocator))
        .containsExactly(dec("3.50"), dec("-0.05"), null);
    assertThat(evaluate(minus, batch(allocator, type, rows), allocator))
        .containsExactly(dec("0.50"), dec("0.05"), null);
  }

  @Test
  void decimalDivisionRoundsHalfUpAtTheResultScale() {
    RowType type = rowType("x", decimal(10, 2), "y", decimal(10, 2));
    Expr e = call(Operator.DIVIDE, decimal(19, 6), ref(0, decimal(10, 2)), ref(1, decimal(10, 2)));
    assertThat(evaluate(e, batch(allocator, type,
        new Object[] {dec("10.00"), dec("3.00")},
        new Object[] {dec("2.00"), dec("3.00")},
        new Object[] {dec("-2.00"), dec("3.00")},
        new Object[] {dec("1.00"), null}), allocator))
        .containsExactly(dec("3.333333"), dec("0.666667"), dec("-0.666667"), null);
    // DECIMAL / BIGINT
    Expr byInt = call(Operator.DIVIDE, decimal(19, 3), ref(0, decimal(10, 2)), lit(8L, BIGINT));
    assertThat(evaluate(byInt, column(allocator, decimal(10, 2), dec("1.00"), dec("-1.00")), allocator))
        .containsExactly(dec("0.125"), dec("-0.125"));
  }

  @Test
  void decimalModAndNegateAndAbs() {
    DataType d = decimal(10, 2);
    assertThat(evaluate(call(Operator.MOD, d, ref(0, d), decLit("1.00")),
        column(allocator, d, dec("5.75"), dec("-5.75")), allocator))
        .containsExactly(dec("0.75"), dec("-0.75"));
    assertThat(evaluate(call(Operator.NEGATE, d, ref(0, d)), column(allocator, d, dec("5.75"), null), allocator))
        .containsExactly(dec("-5.75"), null);
    assertThat(evaluate(call(Operator.ABS, d, ref(0, d)), column(allocator, d, dec("-5.75"), dec("1.00")), allocator))
        .containsExactly(dec("5.75"), dec("1.00"));
  }

  @Test
  void floorAndCeilOfDecimalsAndDoubles() {
    DataType d = decimal(10, 2);
    Object[] values = {dec("1.50"), dec("-1.50"), dec("2.00"), null};
    assertThat(evaluate(call(Operator.FLOOR, decimal(10, 0), ref(0, d)), column(allocator, d, values), allocator))
        .containsExactly(dec("1"), dec("-2"), dec("2"), null);
    assertThat(evaluate(call(Operator.CEIL, decimal(10, 0), ref(0, d)), column(allocator, d, values), allocator))
        .containsExactly(dec("2"), dec("-1"), dec("2"), null);
    assertThat(evaluate(call(Operator.FLOOR, DOUBLE, ref(0, DOUBLE)), column(allocator, DOUBLE, -0.5, 2.5), allocator))
        .containsExactly(-1.0, 2.0);
  }

  @Test
  void doubleArithmeticMixesWithIntegersAndDecimals() {
    RowType type = rowType("x", DOUBLE, "n", BIGINT, "d", decimal(10, 2));
    ColumnBatch rows = batch(allocator, type,
        new Object[] {1.5, 2L, dec("0.25")},
        new Object[] {null, 1L, dec("1.00")});
    assertThat(evaluate(call(Operator.PLUS, DOUBLE, ref(0, DOUBLE), ref(1, BIGINT)), rows, allocator))
        .containsExactly(3.5, null);
    rows = batch(allocator, type, new Object[] {1.5, 2L, dec("0.25")});
    assertThat(evaluate(call(Operator.TIMES, DOUBLE, ref(2, decimal(10, 2)), ref(0, DOUBLE)), rows, allocator))
        .containsExactly(0.375);
    rows = batch(allocator, type, new Object[] {1.0, 0L, dec("0.25")});
    // IEEE semantics for DOUBLE: no error on division by zero.
    assertThat(evaluate(call(Operator.DIVIDE, DOUBLE, ref(0, DOUBLE), ref(1, BIGINT)), rows, allocator))
        .containsExactly(Double.POSITIVE_INFINITY);
    rows = batch(allocator, type, new Object[] {7.5, 2L, null});
    assertThat(evaluate(call(Operator.MOD, DOUBLE, ref(0, DOUBLE), ref(1, BIGINT)), rows, allocator))
        .containsExactly(1.5);
  }

  @Test
  void timestampPlusDayTimeIntervalAddsMillis() {
    long t = Timestamps.parseMillis("2026-01-31 23:59:59");
    Expr e = call(Operator.PLUS, TIMESTAMP, ref(0, TIMESTAMP), lit(1500L, INTERVAL_DAY_TIME));
    assertThat(evaluate(e, column(allocator, TIMESTAMP, t, null), allocator))
        .containsExactly(Timestamps.parseMillis("2026-02-01 00:00:00.500"), null);
    Expr diff = call(Operator.MINUS, INTERVAL_DAY_TIME, ref(0, TIMESTAMP), lit(t - 60_000, TIMESTAMP));
    assertThat(evaluate(diff, column(allocator, TIMESTAMP, t), allocator)).containsExactly(60_000L);
  }

  @Test
  void timestampPlusYearMonthIntervalAddsCalendarMonths() {
    long t = Timestamps.parseMillis("2026-01-31 10:00:00");
    // The planner passes INTERVAL '1' MONTH as the literal 1 (months).
    Expr e = call(Operator.PLUS, TIMESTAMP, ref(0, TIMESTAMP), lit(1L, INTERVAL_YEAR_MONTH));
    assertThat(evaluate(e, column(allocator, TIMESTAMP, t), allocator))
        .containsExactly(Timestamps.parseMillis("2026-02-28 10:00:00"));
  }

  @Test
  void datePlusDayIntervalAddsDays() {
    long day = Timestamps.parseDate("2026-01-31");
    Expr e = call(Operator.PLUS, DATE, ref(0, DATE), lit(86_400_000L, INTERVAL_DAY_TIME));
    assertThat(evaluate(e, column(allocator, DATE, day), allocator)).containsExactly(day + 1);
  }

  @Test
  void decimalProductWhoseRawScaleOverflowsIsStillExact() {
    DataType d = decimal(18, 6);
    // Raw product 12345678123456 * 1000000000 (scale 12) does not fit a long; the result at
    // scale 6 (12345678123.456000) does.
    Expr e = call(Operator.TIMES, d, ref(0, d), ref(1, d));
    ColumnBatch rows = batch(allocator, rowType("x", d, "y", d),
        new Object[] {dec("12345678.123456"), dec("1000.000000")});
    assertThat(evaluate(e, rows, allocator)).containsExactly(dec("12345678123.456000"));
  }

  @Test
  void windowFloorFloorsNegativeTimesAndAppliesTheOffset() {
    Expr floor = call(Operator.WINDOW_FLOOR, TIMESTAMP, ref(0, TIMESTAMP), lit(10L, INTERVAL_DAY_TIME));
    assertThat(evaluate(floor, column(allocator, TIMESTAMP, 0L, 9L, 10L, -1L, -10L, -11L, null), allocator))
        .containsExactly(0L, 0L, 10L, -10L, -10L, -20L, null);
    Expr shifted = call(Operator.WINDOW_FLOOR, TIMESTAMP, ref(0, TIMESTAMP), lit(10L, INTERVAL_DAY_TIME),
        lit(3L, INTERVAL_DAY_TIME));
    assertThat(evaluate(shifted, column(allocator, TIMESTAMP, 2L, 3L, 12L, 13L, -7L, -8L), allocator))
        .containsExactly(-7L, 3L, 3L, 13L, -7L, -17L);
  }

  @Test
  void literalOnlyExpressionsFillEveryRow() {
    Expr e = call(Operator.PLUS, BIGINT, lit(2L, BIGINT), lit(null, BIGINT));
    assertThat(evaluate(e, column(allocator, BIGINT, 1L, 2L), allocator)).isEqualTo(Arrays.asList(null, null));
  }
}

package io.dstream.executor.kernel;

import static io.dstream.executor.kernel.Exprs.cast;
import static io.dstream.executor.kernel.Exprs.decimal;
import static io.dstream.executor.kernel.Exprs.evaluate;
import static io.dstream.executor.kernel.Exprs.ref;
import static io.dstream.executor.kernel.TestBatches.BIGINT;
import static io.dstream.executor.kernel.TestBatches.BOOLEAN;
import static io.dstream.executor.kernel.TestBatches.DATE;
import static io.dstream.executor.kernel.TestBatches.DOUBLE;
import static io.dstream.executor.kernel.TestBatches.INTEGER;
import static io.dstream.executor.kernel.TestBatches.TIMESTAMP;
import static io.dstream.executor.kernel.TestBatches.VARCHAR;
import static io.dstream.executor.kernel.TestBatches.column;
import static io.dstream.executor.kernel.TestBatches.dec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.Timestamps;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CastsTest {
  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  private List<Object> cast(DataType from, DataType to, Object... values) {
    return evaluate(Exprs.cast(ref(0, from), to), column(allocator, from, values), allocator);
  }

  private static void assertBadCast(ThrowingCallable call, String message) {
    assertThatThrownBy(call)
        .isInstanceOf(EngineException.class)
        .hasMessage(message)
        .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo(ErrorCode.BAD_INPUT_DATA));
  }

  @Test
  void stringsToNumbersTrimSpacesAndKeepNulls() {
    assertThat(cast(VARCHAR, BIGINT, "42", " -7 ", null)).containsExactly(42L, -7L, null);
    assertThat(cast(VARCHAR, INTEGER, "12")).containsExactly(12L);
    assertThat(cast(VARCHAR, DOUBLE, "2.5", " 1e3", null)).containsExactly(2.5, 1000.0, null);
    assertThat(cast(VARCHAR, decimal(10, 2), "1.005", "-1.005", "3", " 0.1 ", null))
        .containsExactly(dec("1.01"), dec("-1.01"), dec("3.00"), dec("0.10"), null);
  }

  @Test
  void badNumericStringsAreBadInputData() {
    assertBadCast(() -> cast(VARCHAR, BIGINT, "1", "x"), "Cannot cast 'x' to BIGINT");
    assertBadCast(() -> cast(VARCHAR, BIGINT, "1.5"), "Cannot cast '1.5' to BIGINT");
    assertBadCast(() -> cast(VARCHAR, DOUBLE, "one"), "Cannot cast 'one' to DOUBLE");
    assertBadCast(() -> cast(VARCHAR, decimal(10, 2), "1,5"), "Cannot cast '1,5' to DECIMAL(10, 2)");
  }

  @Test
  void numbersToStrings() {
    assertThat(cast(BIGINT, VARCHAR, 42L, -1L, null)).containsExactly("42", "-1", null);
    assertThat(cast(decimal(10, 2), VARCHAR, dec("1.50"), dec("-0.05"), dec("100.00")))
        .containsExactly("1.50", "-0.05", "100.00");
    assertThat(cast(DOUBLE, VARCHAR, 1.5, -2.0)).containsExactly("1.5", "-2.0");
  }

  @Test
  void decimalRescaleRoundsHalfUpAwayFromZero() {
    assertThat(cast(decimal(10, 3), decimal(10, 1), dec("1.250"), dec("-1.250"), dec("1.249"), dec("-1.249"), null))
        .containsExactly(dec("1.3"), dec("-1.3"), dec("1.2"), dec("-1.2"), null);
    assertThat(cast(decimal(10, 1), decimal(10, 3), dec("1.5"), dec("-0.1")))
        .containsExactly(dec("1.500"), dec("-0.100"));
    // same scale, other precision: values unchanged
    assertThat(cast(decimal(10, 2), decimal(12, 2), dec("9.99"))).containsExactly(dec("9.99"));
  }

  @Test
  void integersAndDecimalsConvertBothWays() {
    assertThat(cast(BIGINT, decimal(10, 2), 3L, -4L, null)).containsExactly(dec("3.00"), dec("-4.00"), null);
    // DECIMAL to an integer type truncates the fraction, as Calcite does.
    assertThat(cast(decimal(10, 2), BIGINT, dec("2.70"), dec("-2.70"))).containsExactly(2L, -2L);
    assertThat(cast(decimal(10, 2), DOUBLE, dec("2.75"), null)).containsExactly(2.75, null);
    assertThat(cast(INTEGER, BIGINT, 5L)).containsExactly(5L);
    assertThat(cast(BIGINT, DOUBLE, 5L)).containsExactly(5.0);
    assertThat(cast(DOUBLE, BIGINT, 2.7, -2.7)).containsExactly(2L, -2L);
  }

  @Test
  void doublesToDecimalsRound() {
    assertThat(cast(DOUBLE, decimal(10, 2), 1.234, 1.235, 2.0, null))
        .containsExactly(dec("1.23"), dec("1.24"), dec("2.00"), null);
    assertThat(cast(DOUBLE, decimal(10, 0), 2.5)).containsExactly(dec("3"));
  }

  @Test
  void negativeDoubleHalvesRoundAwayFromZeroLikeDecimalRescale() {
    assertThat(cast(DOUBLE, decimal(10, 0), -2.5)).containsExactly(dec("-3"));
    assertThat(cast(DOUBLE, decimal(10, 2), -0.125)).containsExactly(dec("-0.13"));
  }

  @Test
  void timestampsAndStringsRoundTrip() {
    long t = Timestamps.parseMillis("2026-03-01 12:34:56.789");
    assertThat(cast(TIMESTAMP, VARCHAR, t, -1L, null))
        .containsExactly("2026-03-01 12:34:56.789", "1969-12-31 23:59:59.999", null);
    assertThat(cast(VARCHAR, TIMESTAMP, "2026-03-01 12:34:56.789", "2026-03-01T12:34:56", "2026-03-01", null))
        .containsExactly(t, t - 789, Timestamps.parseMillis("2026-03-01 00:00:00"), null);
    assertBadCast(() -> cast(VARCHAR, TIMESTAMP, "yesterday"), "Cannot cast 'yesterday' to TIMESTAMP(3)");
  }

  @Test
  void timestampsAndDatesConvertByFlooringToTheDay() {
    long t = Timestamps.parseMillis("1969-12-31 23:00:00");
    assertThat(cast(TIMESTAMP, DATE, t, 0L)).containsExactly(-1L, 0L);
    assertThat(cast(DATE, TIMESTAMP, -1L, 1L)).containsExactly(-86_400_000L, 86_400_000L);
    assertThat(cast(DATE, VARCHAR, 0L)).containsExactly("1970-01-01");
    assertThat(cast(VARCHAR, DATE, "1970-01-02")).containsExactly(1L);
  }

  @Test
  void booleansConvertToAndFromStringsAndNumbers() {
    assertThat(cast(VARCHAR, BOOLEAN, "true", " FALSE ", "True", null)).containsExactly(true, false, true, null);
    assertBadCast(() -> cast(VARCHAR, BOOLEAN, "yes"), "Cannot cast 'yes' to BOOLEAN");
    assertThat(cast(BOOLEAN, VARCHAR, true, false, null)).containsExactly("TRUE", "FALSE", null);
    assertThat(cast(BIGINT, BOOLEAN, 0L, 5L, null)).containsExactly(false, true, null);
    assertThat(cast(DOUBLE, BOOLEAN, 0.0, 0.5)).containsExactly(false, true);
    assertThat(cast(BOOLEAN, BIGINT, true, false, null)).containsExactly(1L, 0L, null);
  }

  @Test
  void castToTheSameTypeKeepsValues() {
    assertThat(cast(VARCHAR, VARCHAR, "a", null)).containsExactly("a", null);
    assertThat(cast(BIGINT, BIGINT, 1L, null)).containsExactly(1L, null);
    assertThat(cast(VARCHAR, DataType.of(DataType.Kind.CHAR), "ab")).containsExactly("ab");
  }
}

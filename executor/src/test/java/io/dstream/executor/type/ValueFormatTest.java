package io.dstream.executor.type;

import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.batch.BatchBuilder;
import io.dstream.executor.batch.ColumnBatch;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ValueFormatTest {
  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  @Test
  void formatsDecimalsWithExactlyScaleDigits() {
    DataType decimal = DataType.decimal(10, 3);
    assertThat(ValueFormat.format(decimal, 123450L)).isEqualTo("123.450");
    assertThat(ValueFormat.format(decimal, 5L)).isEqualTo("0.005");
    assertThat(ValueFormat.format(decimal, -5L)).isEqualTo("-0.005");
    assertThat(ValueFormat.format(decimal, -1234L)).isEqualTo("-1.234");
    assertThat(ValueFormat.format(decimal, 0L)).isEqualTo("0.000");
    assertThat(ValueFormat.format(DataType.decimal(19, 0), 42L)).isEqualTo("42");
    assertThat(ValueFormat.formatDecimal(Long.MIN_VALUE, 2)).isEqualTo("-92233720368547758.08");
  }

  @Test
  void formatsOtherKinds() {
    assertThat(ValueFormat.format(DataType.of(DataType.Kind.DOUBLE), 1.5)).isEqualTo("1.5");
    assertThat(ValueFormat.format(DataType.of(DataType.Kind.DOUBLE), 100.0)).isEqualTo("100.0");
    assertThat(ValueFormat.format(DataType.of(DataType.Kind.REAL), (double) 0.1f)).isEqualTo("0.1");
    assertThat(ValueFormat.format(DataType.of(DataType.Kind.TIMESTAMP), 1500L))
        .isEqualTo("1970-01-01 00:00:01.500");
    assertThat(ValueFormat.format(DataType.of(DataType.Kind.DATE), 1L)).isEqualTo("1970-01-02");
    assertThat(ValueFormat.format(DataType.of(DataType.Kind.BOOLEAN), true)).isEqualTo("true");
    assertThat(ValueFormat.format(DataType.of(DataType.Kind.BIGINT), -7L)).isEqualTo("-7");
    assertThat(ValueFormat.format(DataType.of(DataType.Kind.VARCHAR), "a,b")).isEqualTo("a,b");
    assertThat(ValueFormat.format(DataType.of(DataType.Kind.BIGINT), null)).isEqualTo("NULL");
    assertThat(ValueFormat.format(DataType.of(DataType.Kind.INTERVAL_DAY_TIME), 90_061_001L))
        .isEqualTo("1 01:01:01.001");
    assertThat(ValueFormat.format(DataType.of(DataType.Kind.INTERVAL_YEAR_MONTH), 14L)).isEqualTo("1-02");
  }

  @Test
  void writesCsvFieldsFromVectorsQuotingWhenNeeded() {
    RowType rowType = RowType.of(new Column("s", DataType.of(DataType.Kind.VARCHAR)),
        new Column("n", DataType.of(DataType.Kind.BIGINT)),
        new Column("b", DataType.of(DataType.Kind.BOOLEAN)));
    BatchBuilder builder = new BatchBuilder(rowType, allocator);
    builder.setValue(0, "say \"hi\", bob");
    builder.setValue(1, 3L);
    builder.setValue(2, false);
    builder.endRow();
    builder.endRow();
    try (ColumnBatch batch = builder.build()) {
      StringBuilder out = new StringBuilder();
      for (int row = 0; row < 2; row++) {
        for (int c = 0; c < 3; c++) {
          ValueFormat.appendCsvField(out, rowType.type(c), batch.vector(c), row);
          out.append(c < 2 ? "," : "\n");
        }
      }
      assertThat(out.toString()).isEqualTo("\"say \"\"hi\"\", bob\",3,false\n,,\n");
    }
  }
}

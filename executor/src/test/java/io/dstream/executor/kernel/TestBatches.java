package io.dstream.executor.kernel;

import io.dstream.executor.batch.BatchBuilder;
import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.DataType.Kind;
import io.dstream.executor.type.RowType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Test helper: builds batches from rows of Java values and reads them back. DECIMAL values are
 * {@link BigDecimal}s at the column's scale (so an assertion also checks the scale); every other
 * type uses its physical form (Long, Double, Boolean, String), null for SQL NULL.
 */
public final class TestBatches {
  public static final DataType BIGINT = DataType.of(Kind.BIGINT);
  public static final DataType INTEGER = DataType.of(Kind.INTEGER);
  public static final DataType DOUBLE = DataType.of(Kind.DOUBLE);
  public static final DataType BOOLEAN = DataType.of(Kind.BOOLEAN);
  public static final DataType VARCHAR = DataType.of(Kind.VARCHAR);
  public static final DataType TIMESTAMP = DataType.of(Kind.TIMESTAMP);
  public static final DataType DATE = DataType.of(Kind.DATE);
  public static final DataType INTERVAL_DAY_TIME = DataType.of(Kind.INTERVAL_DAY_TIME);
  public static final DataType INTERVAL_YEAR_MONTH = DataType.of(Kind.INTERVAL_YEAR_MONTH);

  private TestBatches() {}

  /** A row type from alternating names and types: {@code rowType("a", BIGINT, "b", VARCHAR)}. */
  public static RowType rowType(Object... namesAndTypes) {
    List<Column> columns = new ArrayList<>();
    for (int i = 0; i < namesAndTypes.length; i += 2) {
      columns.add(new Column((String) namesAndTypes[i], (DataType) namesAndTypes[i + 1]));
    }
    return new RowType(columns);
  }

  public static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }

  public static ColumnBatch batch(BufferAllocator allocator, RowType type, List<List<Object>> rows) {
    try (BatchBuilder builder = new BatchBuilder(type, allocator, rows.size())) {
      for (List<Object> row : rows) {
        for (int c = 0; c < type.size(); c++) {
          builder.setValue(c, physical(row.get(c), type.type(c)));
        }
        builder.endRow();
      }
      return builder.build();
    }
  }

  public static ColumnBatch batch(BufferAllocator allocator, RowType type, Object[]... rows) {
    List<List<Object>> list = new ArrayList<>();
    for (Object[] r : rows) {
      list.add(Arrays.asList(r));
    }
    return batch(allocator, type, list);
  }

  /** A one-column batch. */
  public static ColumnBatch column(BufferAllocator allocator, DataType type, Object... values) {
    RowType rowType = rowType("c0", type);
    List<List<Object>> rows = new ArrayList<>();
    for (Object v : values) {
      rows.add(Arrays.asList(v));
    }
    return batch(allocator, rowType, rows);
  }

  /** The physical value of a test value: BigDecimal and numeric strings become unscaled longs. */
  public static Object physical(Object value, DataType type) {
    if (value == null || type.kind() != Kind.DECIMAL) {
      return value;
    }
    BigDecimal d = value instanceof BigDecimal b ? b : new BigDecimal(value.toString());
    return d.setScale(type.scale(), RoundingMode.UNNECESSARY).unscaledValue().longValueExact();
  }

  public static List<List<Object>> rows(ColumnBatch batch) {
    List<List<Object>> rows = new ArrayList<>();
    for (int r = 0; r < batch.rowCount(); r++) {
      List<Object> row = new ArrayList<>();
      for (int c = 0; c < batch.columnCount(); c++) {
        row.add(value(batch, c, r));
      }
      rows.add(row);
    }
    return rows;
  }

  public static List<Object> values(ColumnBatch batch, int column) {
    List<Object> out = new ArrayList<>();
    for (int r = 0; r < batch.rowCount(); r++) {
      out.add(value(batch, column, r));
    }
    return out;
  }

  public static Object value(ColumnBatch batch, int c, int r) {
    if (batch.vector(c).isNull(r)) {
      return null;
    }
    DataType type = batch.rowType().type(c);
    return switch (type.physical()) {
      case LONG -> type.kind() == Kind.DECIMAL
          ? BigDecimal.valueOf(batch.longs(c).get(r), type.scale()) : (Object) batch.longs(c).get(r);
      case DOUBLE -> batch.doubles(c).get(r);
      case BOOLEAN -> batch.booleans(c).get(r) != 0;
      case STRING -> new String(batch.strings(c).get(r), StandardCharsets.UTF_8);
    };
  }

  public static BigDecimal dec(String text) {
    return new BigDecimal(text);
  }
}

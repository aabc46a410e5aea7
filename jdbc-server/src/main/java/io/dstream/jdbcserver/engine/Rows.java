package io.dstream.jdbcserver.engine;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.DataType.Kind;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;

/** Converts columnar batches to rows of JDBC values, at the edge where rows leave the engine. */
final class Rows {
  private Rows() {}

  static List<Object[]> toRows(ColumnBatch batch) {
    int n = batch.rowCount();
    int columns = batch.columnCount();
    List<Object[]> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      rows.add(new Object[columns]);
    }
    for (int c = 0; c < columns; c++) {
      FieldVector v = batch.vector(c);
      DataType type = batch.rowType().type(c);
      for (int i = 0; i < n; i++) {
        rows.get(i)[c] = value(v, type, i);
      }
    }
    return rows;
  }

  private static Object value(FieldVector v, DataType type, int i) {
    if (v.isNull(i)) {
      return null;
    }
    return switch (type.physical()) {
      case BOOLEAN -> ((BitVector) v).get(i) != 0;
      case DOUBLE -> ((Float8Vector) v).get(i);
      case STRING -> new String(((VarCharVector) v).get(i), StandardCharsets.UTF_8);
      case LONG -> type.kind() == Kind.DECIMAL
          ? BigDecimal.valueOf(((BigIntVector) v).get(i), type.scale())
          : (Object) ((BigIntVector) v).get(i);
    };
  }
}

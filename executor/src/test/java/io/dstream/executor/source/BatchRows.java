package io.dstream.executor.source;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.type.RowType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/** Test helper: batches as lists of physical values (Long, Double, Boolean, String, null). */
public final class BatchRows {
  private BatchRows() {}

  public static List<List<Object>> rows(ColumnBatch batch) {
    RowType type = batch.rowType();
    List<List<Object>> rows = new ArrayList<>();
    for (int row = 0; row < batch.rowCount(); row++) {
      Object[] values = new Object[type.size()];
      for (int c = 0; c < type.size(); c++) {
        if (batch.vector(c).isNull(row)) {
          continue;
        }
        values[c] = switch (type.type(c).physical()) {
          case LONG -> batch.longs(c).get(row);
          case DOUBLE -> batch.doubles(c).get(row);
          case BOOLEAN -> batch.booleans(c).get(row) != 0;
          case STRING -> new String(batch.strings(c).get(row), StandardCharsets.UTF_8);
        };
      }
      rows.add(Arrays.asList(values));
    }
    return rows;
  }

  /** Reads every split of {@code batch} in order, closing the vectors. */
  public static List<List<Object>> readAll(Source source, SourceBatch batch, BufferAllocator allocator,
      SourceMetrics metrics) {
    List<List<Object>> rows = new ArrayList<>();
    for (SourceSplit split : batch.splits()) {
      rows.addAll(read(source, split, allocator, metrics));
    }
    return rows;
  }

  public static List<List<Object>> read(Source source, SourceSplit split, BufferAllocator allocator,
      SourceMetrics metrics) {
    try (ColumnBatch columns = source.read(split, allocator, metrics)) {
      return rows(columns);
    }
  }
}

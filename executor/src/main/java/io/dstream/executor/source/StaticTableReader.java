package io.dstream.executor.source;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.codec.BatchCodec;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.kernel.Gather;
import io.dstream.executor.plan.TableData;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Reads a static table (CREATE TABLE) to its end on the driver, when a query joining with it
 * starts: the rows travel to the workers inside the query's plan, so workers need no access to
 * the table's file and all of them join with the same snapshot, also when a task is recomputed.
 * A table is held in memory by every worker, so its size is bounded: at most {@link #MAX_ROWS}
 * rows and {@link #MAX_BYTES} bytes of Arrow data (a plan must fit in one frame of the wire
 * protocol, 256 MiB by default).
 */
public final class StaticTableReader {
  public static final int MAX_ROWS = 1_000_000;
  public static final long MAX_BYTES = 128L << 20;

  private StaticTableReader() {}

  /** Reads every row of {@code source}, which must end; closes nothing. */
  public static TableData read(String table, Source source, BufferAllocator allocator) {
    List<ColumnBatch> parts = new ArrayList<>();
    try {
      long rows = 0;
      long bytes = 0;
      SourceMetrics metrics = new SourceMetrics();
      for (long batch = 0; ; batch++) {
        SourceBatch planned = source.planBatch(batch, Long.MAX_VALUE, 1);
        for (SourceSplit split : planned.splits()) {
          ColumnBatch part = source.read(split, allocator, metrics);
          parts.add(part);
          rows += part.rowCount();
          bytes += part.sizeInBytes();
          checkSize(table, rows, bytes);
        }
        if (planned.exhausted()) {
          break;
        }
        if (planned.splits().isEmpty()) {
          throw new EngineException(ErrorCode.UNSUPPORTED, "Table '" + table
              + "' does not end: a table is read once, to its end, when a query using it starts");
        }
      }
      try (ColumnBatch all = Gather.concat(source.rowType(), parts, allocator)) {
        byte[] ipc = BatchCodec.encode(all);
        checkSize(table, all.rowCount(), ipc.length);
        return TableData.of(ipc, all.rowCount());
      }
    } finally {
      parts.forEach(ColumnBatch::close);
    }
  }

  private static void checkSize(String table, long rows, long bytes) {
    if (rows > MAX_ROWS || bytes > MAX_BYTES) {
      throw new EngineException(ErrorCode.RESOURCE_EXHAUSTED, "Table '" + table + "' is too large to join"
          + " with a stream: it has more than " + (rows > MAX_ROWS ? String.format("%,d rows", MAX_ROWS)
          : (MAX_BYTES >> 20) + " MB of data") + ". A table is loaded into the memory of every worker, so it"
          + " may hold at most " + String.format("%,d", MAX_ROWS) + " rows and " + (MAX_BYTES >> 20)
          + " MB; keep only the rows and columns the query needs in its file");
    }
  }
}

package io.dstream.executor.source;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.batch.BatchBuilder;
import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Reads the rows appended to a {@link MemoryLog}: each batch takes what arrived since the
 * previous one, as contiguous offset ranges. Never exhausted. Reads are deterministic because
 * the log is append-only. When the log is replicated (cluster mode), each input block becomes
 * one split, read on a worker from a replica of the block through {@link InputBlocks}.
 */
public final class MemorySource implements Source {
  /** Smaller ranges are not worth a task of their own. */
  static final long MIN_SPLIT_ROWS = 1024;

  private final RowType rowType;
  private final MemoryLog log;
  private final InputBlocks inputBlocks;
  private long position; // driver thread only

  /** Reads {@code log} from offset {@code start}. */
  public MemorySource(RowType rowType, MemoryLog log, long start) {
    this(rowType, log, start, InputBlocks.NONE);
  }

  /** Reads {@code log} from offset {@code start}, and splits of input blocks through {@code inputBlocks}. */
  public MemorySource(RowType rowType, MemoryLog log, long start, InputBlocks inputBlocks) {
    this.rowType = requireNonNull(rowType, "rowType is null");
    this.log = requireNonNull(log, "log is null");
    this.inputBlocks = requireNonNull(inputBlocks, "inputBlocks is null");
    this.position = start;
  }

  @Override
  public RowType rowType() {
    return rowType;
  }

  @Override
  public SourceBatch planBatch(long batchId, long batchTime, int parallelism) {
    long end = log.end();
    long count = end - position;
    List<SourceSplit> splits = new ArrayList<>();
    if (log.replicated()) {
      for (MemoryLog.InputBlock block : log.inputBlocks(position, end)) {
        splits.add(block.split(log.stream()).toSplit(block.start(), block.end()));
      }
    } else if (count > 0) {
      int pieces = (int) Math.max(1, Math.min(Math.max(1, parallelism), count / MIN_SPLIT_ROWS));
      long from = position;
      for (int k = 1; k <= pieces; k++) {
        long to = position + count * k / pieces;
        splits.add(new SourceSplit(log.stream(), from, to));
        from = to;
      }
    }
    position = end;
    return new SourceBatch(splits, false);
  }

  @Override
  public ColumnBatch read(SourceSplit split, BufferAllocator allocator, SourceMetrics metrics) {
    var input = InputSplit.of(split);
    if (input.isPresent()) {
      return inputBlocks.read(input.get(), rowType, allocator);
    }
    List<Object[]> rows = log.read(split.start(), split.end());
    try (BatchBuilder builder = new BatchBuilder(rowType, allocator, rows.size())) {
      for (Object[] row : rows) {
        for (int c = 0; c < rowType.size(); c++) {
          builder.setValue(c, c < row.length ? row[c] : null);
        }
        builder.endRow();
      }
      return builder.build();
    }
  }
}

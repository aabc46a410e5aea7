package io.dstream.executor.source;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.type.RowType;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;

/**
 * One query's reader of one stream. The driver calls {@link #planBatch} once per batch, in
 * batch order, from one thread; tasks call {@link #read} concurrently, possibly more than once
 * for the same split (recomputation), and must get the same rows each time.
 */
public interface Source extends AutoCloseable {
  RowType rowType();

  /**
   * Plans the input of batch {@code batchId}, whose interval ends at {@code batchTime}.
   * Returns at most {@code parallelism} splits; an empty list when nothing arrived.
   */
  SourceBatch planBatch(long batchId, long batchTime, int parallelism);

  /**
   * Reads one split into a new batch owned by the caller, allocated from {@code allocator}.
   * Rows that fail to parse follow the source's error policy: an {@code EngineException} with
   * code BAD_INPUT_DATA naming the file and line, or skipped and added to {@code metrics}.
   */
  ColumnBatch read(SourceSplit split, BufferAllocator allocator, SourceMetrics metrics);

  /**
   * Where planning stands: an opaque, deterministic text from which {@link #seek} on a new
   * source of the same stream plans the same next batches as this one would. Empty when the
   * source cannot be replayed (its input does not outlive the process). Driver thread only.
   */
  default Optional<String> position() {
    return Optional.empty();
  }

  /**
   * Moves planning to {@code position}, as returned by {@link #position} of a source of the same
   * stream; called before the first {@link #planBatch}. Driver thread only.
   *
   * @throws EngineException with code UNSUPPORTED when the source cannot be replayed
   */
  default void seek(String position) {
    throw new EngineException(ErrorCode.UNSUPPORTED, getClass().getSimpleName()
        + " cannot resume from a stored position: its input does not outlive the server");
  }

  @Override
  default void close() {}
}

package io.dstream.executor.sink;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.type.RowType;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The 'blackhole' sink connector, for benchmarks: discards rows, counting them. Remembers the
 * latest sink of each stream so that a harness can read its counters. No options.
 */
public final class BlackholeSinkFactory implements SinkFactory {
  private final ConcurrentMap<String, BlackholeSink> latest = new ConcurrentHashMap<>();

  @Override
  public String connector() {
    return "blackhole";
  }

  @Override
  public void validate(String stream, RowType rowType, Map<String, String> options) {
    for (String key : options.keySet()) {
      if (!key.equalsIgnoreCase("connector")) {
        throw new EngineException(ErrorCode.VALIDATION_ERROR, "Unknown option '" + key
            + "' for blackhole sink stream " + stream + "; the blackhole connector has no options");
      }
    }
  }

  @Override
  public BlackholeSink create(String stream, RowType rowType, Map<String, String> options) {
    BlackholeSink sink = new BlackholeSink();
    latest.put(stream.toLowerCase(Locale.ROOT), sink);
    return sink;
  }

  /** The sink most recently created for {@code stream} (any case). */
  public Optional<BlackholeSink> sink(String stream) {
    return Optional.ofNullable(latest.get(stream.toLowerCase(Locale.ROOT)));
  }

  /** Counts committed rows, once per batch id; thread-safe counters. */
  public static final class BlackholeSink implements Sink {
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private volatile long lastBatchId = -1;
    private volatile long lastCommitNanos;
    private volatile boolean finished;

    @Override
    public void commit(long batchId, ColumnBatch batch) {
      requireNonNull(batch, "batch is null");
      if (batchId <= lastBatchId) {
        return;
      }
      lastBatchId = batchId;
      if (batch.rowCount() > 0) {
        rows.addAndGet(batch.rowCount());
        lastCommitNanos = System.nanoTime();
      }
      batches.incrementAndGet();
    }

    @Override
    public void finish() {
      finished = true;
    }

    /** Rows committed so far. */
    public long rows() {
      return rows.get();
    }

    /** Distinct batches committed so far. */
    public long batches() {
      return batches.get();
    }

    /** {@link System#nanoTime()} of the last commit that had rows; 0 before any. */
    public long lastCommitNanos() {
      return lastCommitNanos;
    }

    public boolean finished() {
      return finished;
    }
  }
}

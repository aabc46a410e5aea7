package io.dstream.jdbcserver.meta;

import static java.util.Objects.requireNonNull;

import io.dstream.jdbcserver.engine.StatementResult.Polled;
import io.dstream.jdbcserver.engine.StatementResult.PushStream;
import java.util.List;
import org.apache.calcite.avatica.Meta.Frame;

/**
 * The client's position in a push query: turns long polls on the {@link PushStream} into Avatica
 * frames, and ends the stream once it is drained or the statement's row limit is reached.
 *
 * <p>Owns the stream. {@link #next} is called by one fetch at a time (it is synchronized) and
 * blocks up to the given wait; {@link #close} may be called from any thread while a fetch waits.
 */
final class PushCursor implements AutoCloseable {
  private final PushStream stream;
  private final ResultColumns columns;
  private final long maxRowCount;
  private long delivered;
  private boolean done;

  /** Takes ownership of {@code stream}; {@code maxRowCount <= 0} means no limit. */
  PushCursor(PushStream stream, ResultColumns columns, long maxRowCount) {
    this.stream = requireNonNull(stream, "stream is null");
    this.columns = requireNonNull(columns, "columns is null");
    this.maxRowCount = maxRowCount;
  }

  ResultColumns columns() {
    return columns;
  }

  /**
   * Waits up to {@code waitMillis} for rows and returns at most {@code maxRows} of them as a
   * frame starting at {@code offset}; the frame may be empty. The frame is marked done, and the
   * stream closed, when the stream ends or the row limit is reached.
   */
  synchronized Frame next(long offset, int maxRows, long waitMillis) throws InterruptedException {
    if (done) {
      return Frame.create(offset, true, List.of());
    }
    long wanted = maxRows;
    if (maxRowCount > 0) {
      wanted = Math.min(wanted, maxRowCount - delivered);
    }
    Polled polled;
    try {
      polled = stream.poll((int) Math.max(1, wanted), waitMillis);
    } catch (RuntimeException e) {
      finish();
      throw e;
    }
    List<Object[]> rows = polled.rows();
    if (rows.size() > wanted) {
      rows = rows.subList(0, (int) wanted);
    }
    delivered += rows.size();
    if (polled.done() || (maxRowCount > 0 && delivered >= maxRowCount)) {
      finish();
    }
    return Frame.create(offset, done, columns.toClientRows(rows));
  }

  synchronized boolean isDone() {
    return done;
  }

  private void finish() {
    done = true;
    stream.close();
  }

  /** Stops the query; idempotent, and does not wait for a fetch in progress. */
  @Override
  public void close() {
    stream.close();
  }
}

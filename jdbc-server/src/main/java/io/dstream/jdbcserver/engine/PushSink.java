package io.dstream.jdbcserver.engine;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.sink.Sink;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The sink of a push query and the client's view of it: committed batches become rows in a
 * queue that {@link #poll} drains. Commits of a batch id already seen are ignored.
 *
 * <p>The queue holds at most {@code bufferRows} rows: the query thread never waits for the client.
 * A commit that would overflow it fails the query (the commit throws, so the query ends at once)
 * and drops the buffered rows; the client's next poll raises the error.
 */
final class PushSink implements Sink, StatementResult.PushStream {
  private static final Object[] END = new Object[0];

  private final RowType columns;
  private final LinkedBlockingQueue<Object[]> rows = new LinkedBlockingQueue<>();
  private final Runnable onClose;
  private final int bufferRows;
  private final String stopped;
  private volatile Throwable failure;
  private volatile boolean ended;
  private volatile boolean closed;
  private long lastBatch = -1;

  PushSink(RowType columns, int bufferRows, Runnable onClose) {
    this(columns, bufferRows, onClose, "query was stopped");
  }

  /**
   * {@code stopped} completes the overflow message: what happened to the stream ("query was
   * stopped", or for a view's subscriber "subscription was ended; the view goes on").
   */
  PushSink(RowType columns, int bufferRows, Runnable onClose, String stopped) {
    if (bufferRows < 1) {
      throw new IllegalArgumentException("bufferRows must be at least 1, was " + bufferRows);
    }
    this.columns = columns;
    this.bufferRows = bufferRows;
    this.onClose = onClose;
    this.stopped = stopped;
  }

  /**
   * Buffers the batch's rows for the client.
   *
   * @throws EngineException (RESOURCE_EXHAUSTED) when the client has left too many rows unread;
   *     the buffered rows are dropped and the client's next poll raises the same error
   */
  @Override
  public synchronized void commit(long batchId, ColumnBatch batch) {
    if (batchId <= lastBatch || closed || failure != null) {
      return;
    }
    lastBatch = batchId;
    if (!offer(Rows.toRows(batch))) {
      throw (EngineException) failure;
    }
  }

  /**
   * Buffers rows for the client without throwing: false if the client has left too many rows
   * unread, in which case the buffered rows are dropped, the stream fails and the client's next
   * poll raises the error. Used directly by feeds that must not fail their producer (a view's
   * changelog), and by {@link #commit}.
   */
  synchronized boolean offer(List<Object[]> batchRows) {
    if (closed || failure != null) {
      return false;
    }
    if ((long) rows.size() + batchRows.size() > bufferRows) {
      failure = new EngineException(ErrorCode.RESOURCE_EXHAUSTED, batchRows.size() > bufferRows
          ? "One batch of " + batchRows.size() + " rows is larger than the buffer of " + bufferRows + " rows of"
              + " this push query, so the " + stopped + " (raise the server's --push-buffer-rows above a batch's"
              + " output, or make the query's output smaller)"
          : "The client read too slowly: the buffer of " + bufferRows + " rows of this push query filled, so the "
              + stopped + " (read faster, or raise the server's --push-buffer-rows)");
      rows.clear();
      rows.add(END);
      return false;
    }
    rows.addAll(batchRows);
    return true;
  }

  /** Rows buffered and not yet polled, for tests and monitoring. */
  int bufferedRows() {
    return rows.size();
  }

  @Override
  public void finish() {
    rows.add(END);
  }

  @Override
  public synchronized void fail(Throwable cause) {
    if (failure != null) {
      return; // the overflow that failed the query has been reported already
    }
    failure = cause;
    rows.add(END);
  }

  @Override
  public RowType columns() {
    return columns;
  }

  @Override
  public StatementResult.Polled poll(int maxRows, long timeoutMillis) throws InterruptedException {
    List<Object[]> out = new ArrayList<>();
    if (ended) {
      return new StatementResult.Polled(out, true);
    }
    Object[] first = rows.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    if (first == null) {
      return new StatementResult.Polled(out, false);
    }
    Object[] row = first;
    while (row != null) {
      if (row == END) {
        ended = true;
        if (failure != null) {
          Throwable f = failure;
          throw f instanceof EngineException e ? e
              : new EngineException(ErrorCode.INTERNAL_ERROR, "The query failed: " + f, f);
        }
        break;
      }
      out.add(row);
      if (out.size() >= maxRows) {
        break;
      }
      row = rows.poll();
    }
    return new StatementResult.Polled(out, ended);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      onClose.run();
      rows.clear();
      // A query stopped elsewhere (DROP QUERY) ends its result set rather than leaving it open.
      rows.add(END);
    }
  }
}

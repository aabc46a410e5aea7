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
 */
final class PushSink implements Sink, StatementResult.PushStream {
  private static final Object[] END = new Object[0];

  private final RowType columns;
  private final LinkedBlockingQueue<Object[]> rows = new LinkedBlockingQueue<>();
  private final Runnable onClose;
  private volatile Throwable failure;
  private volatile boolean ended;
  private volatile boolean closed;
  private long lastBatch = -1;

  PushSink(RowType columns, Runnable onClose) {
    this.columns = columns;
    this.onClose = onClose;
  }

  @Override
  public synchronized void commit(long batchId, ColumnBatch batch) {
    if (batchId <= lastBatch || closed) {
      return;
    }
    lastBatch = batchId;
    rows.addAll(Rows.toRows(batch));
  }

  @Override
  public void finish() {
    rows.add(END);
  }

  @Override
  public void fail(Throwable cause) {
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

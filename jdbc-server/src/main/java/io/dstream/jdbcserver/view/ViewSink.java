package io.dstream.jdbcserver.view;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.scheduler.QueryProgress;
import io.dstream.executor.scheduler.QueryProgressListener;
import io.dstream.executor.sink.Sink;
import io.dstream.executor.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The sink of a materialized view's query: applies each committed batch of changes to the
 * view's {@link ViewTable} and, told that the batch completed (it is also the query's progress
 * listener), publishes the table as a new snapshot with the batch id and the clock's time. The
 * driver calls both from the query's job thread, commit first; batches without output are not
 * committed but still published, so the view's freshness follows every batch.
 *
 * <p>With a changelog ({@code changelog} true) the first column is the operation: '+I' and '+U'
 * insert the row, '-U' and '-D' delete one equal row. Without, every row is an insert (a query
 * whose results are final). A batch id already committed is ignored.
 *
 * <p>Readers of the view's changelog {@linkplain #subscribe subscribe}: they get the rows the
 * table holds then, as inserts, and after that each committed batch's changes, so that applying
 * them in order rebuilds the table at every batch, with nothing missed or repeated.
 */
public final class ViewSink implements Sink, QueryProgressListener {
  private final ViewTable table;
  private final boolean changelog;
  private final Function<ColumnBatch, List<Object[]>> rows;
  private final Clock clock;
  private long lastCommitted = -1;
  private long lastPublished = -1;
  /** Guarded by this, like {@link #lastCommitted}: commits and subscriptions are serialized. */
  private final List<ViewSubscriber> subscribers = new ArrayList<>();
  private boolean ended;
  private Throwable failure;

  public ViewSink(ViewTable table, boolean changelog, Function<ColumnBatch, List<Object[]>> rows, Clock clock) {
    this.table = table;
    this.changelog = changelog;
    this.rows = rows;
    this.clock = clock;
  }

  @Override
  public synchronized void commit(long batchId, ColumnBatch batch) {
    if (batchId <= lastCommitted) {
      return;
    }
    lastCommitted = batchId;
    List<Object[]> changes = new ArrayList<>();
    for (Object[] row : rows.apply(batch)) {
      String op = changelog ? (String) row[0] : "+I";
      Object[] values = table.internal(changelog ? Arrays.copyOfRange(row, 1, row.length) : row);
      if (op.startsWith("+")) {
        table.insertInternal(values);
      } else {
        table.deleteInternal(values);
      }
      if (!subscribers.isEmpty()) {
        changes.add(withOp(op, values));
      }
    }
    if (!changes.isEmpty()) {
      subscribers.removeIf(s -> !s.changes(changes));
    }
  }

  /**
   * Adds a reader of the view's changes: it gets the table's rows now (as '+I'), then every
   * later batch's changes. If the view's query has ended already, it is told so at once.
   */
  public synchronized void subscribe(ViewSubscriber subscriber) {
    List<Object[]> initial = new ArrayList<>();
    for (Object[] row : table.currentRows()) {
      initial.add(withOp("+I", row));
    }
    if (!subscriber.changes(initial)) {
      return;
    }
    if (ended) {
      subscriber.ended(failure);
      return;
    }
    subscribers.add(subscriber);
  }

  /** Why the view's query failed, or null while it runs (or after it finished or was stopped). */
  public synchronized Throwable failure() {
    return failure;
  }

  /** Whether the view's query ended: finished its input, failed, or was stopped. */
  public synchronized boolean ended() {
    return ended;
  }

  /** How many readers are subscribed now. */
  public synchronized int subscriberCount() {
    return subscribers.size();
  }

  /** Removes a reader; no more changes reach it. */
  public synchronized void unsubscribe(ViewSubscriber subscriber) {
    subscribers.remove(subscriber);
  }

  @Override
  public void finish() {
    end(null);
  }

  @Override
  public void fail(Throwable cause) {
    end(cause);
  }

  /** The view's query stopped (the view was dropped): its readers' streams end. */
  @Override
  public void close() {
    end(null);
  }

  private synchronized void end(Throwable cause) {
    if (ended) {
      return;
    }
    ended = true;
    failure = cause;
    for (ViewSubscriber s : subscribers) {
      s.ended(cause);
    }
    subscribers.clear();
  }

  private static Object[] withOp(String op, Object[] values) {
    Object[] out = new Object[values.length + 1];
    out[0] = op;
    System.arraycopy(values, 0, out, 1, values.length);
    return out;
  }

  @Override
  public void batchCompleted(QueryProgress progress) {
    if (progress.lastBatch() <= lastPublished) {
      return;
    }
    lastPublished = progress.lastBatch();
    table.publish(progress.lastBatch(), clock.millis());
  }
}

package io.dstream.jdbcserver.view;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.scheduler.QueryProgress;
import io.dstream.executor.scheduler.QueryProgressListener;
import io.dstream.executor.sink.Sink;
import io.dstream.executor.time.Clock;
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
 */
public final class ViewSink implements Sink, QueryProgressListener {
  private final ViewTable table;
  private final boolean changelog;
  private final Function<ColumnBatch, List<Object[]>> rows;
  private final Clock clock;
  private long lastCommitted = -1;
  private long lastPublished = -1;

  public ViewSink(ViewTable table, boolean changelog, Function<ColumnBatch, List<Object[]>> rows, Clock clock) {
    this.table = table;
    this.changelog = changelog;
    this.rows = rows;
    this.clock = clock;
  }

  @Override
  public void commit(long batchId, ColumnBatch batch) {
    if (batchId <= lastCommitted) {
      return;
    }
    lastCommitted = batchId;
    for (Object[] row : rows.apply(batch)) {
      if (!changelog) {
        table.insert(row);
        continue;
      }
      Object[] values = Arrays.copyOfRange(row, 1, row.length);
      String op = (String) row[0];
      if (op.startsWith("+")) {
        table.insert(values);
      } else {
        table.delete(values);
      }
    }
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

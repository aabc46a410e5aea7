package io.dstream.jdbcserver.view;

import java.util.List;

/**
 * A reader of a materialized view's changes (see {@link ViewSink#subscribe}): first the view's
 * rows as they were when it subscribed, then every committed batch's changes, in batch order, on
 * the view's query thread. Rows are in Calcite's internal forms of the view's types (see
 * {@link ViewTable}), with the operation ('+I', '-U', '+U', '-D') as an extra first value.
 * Implementations must not block: they buffer and return.
 */
public interface ViewSubscriber {
  /**
   * Takes one batch of changes (or the initial rows, all '+I').
   *
   * @return false to be unsubscribed (for example when the reader's buffer overflowed)
   */
  boolean changes(List<Object[]> changes);

  /**
   * No changes follow: the view's query ended ({@code failure} null, also when the view is
   * dropped) or failed.
   */
  void ended(Throwable failure);
}

package io.dstream.executor.scheduler;

/**
 * Told where a query stands after each of its batches, on the query's job thread, after the
 * batch is committed to the sink and before old checkpoints are deleted, so that what it records
 * durably never refers to a deleted checkpoint. A listener that throws fails the query.
 */
@FunctionalInterface
public interface QueryProgressListener {
  QueryProgressListener NONE = progress -> {};

  void batchCompleted(QueryProgress progress);
}

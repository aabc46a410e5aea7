package io.dstream.planner.catalog;

import io.dstream.executor.plan.TableData;

/**
 * Reads the rows of a static table (CREATE TABLE) when a query joining with it is planned to
 * start. The planner calls it at most once per table and query.
 */
@FunctionalInterface
public interface TableLoader {
  /** Leaves the rows out: for plans that are only shown (EXPLAIN) or checked. */
  TableLoader DEFERRED = table -> TableData.deferred();

  /**
   * The rows of {@code table}.
   *
   * @throws io.dstream.executor.error.EngineException when the table cannot be read, or is too large
   */
  TableData load(StreamDefinition table);
}

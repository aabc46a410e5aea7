package io.dstream.planner.catalog;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.type.RowType;
import java.util.Map;

/**
 * A stream or table in the catalog: its columns, event-time column (-1 for none) with the
 * watermark delay, its connector options, and for a derived stream the query that feeds it.
 */
public record StreamDefinition(String name, Kind kind, RowType rowType, int timeColumn,
    long watermarkDelayMillis, Map<String, String> options, String query) {

  /** Streams are unbounded inputs; tables are loaded once. */
  public enum Kind { STREAM, TABLE }

  public StreamDefinition {
    requireNonNull(name, "name is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(rowType, "rowType is null");
    options = Map.copyOf(options);
  }

  public String connector() {
    return options.getOrDefault("connector", "");
  }

  public boolean hasWatermark() {
    return timeColumn >= 0;
  }
}

package io.dstream.executor.source;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.type.RowType;
import java.util.Map;

/**
 * What a worker needs to create its own reader of a stream: the connector, the stream's
 * columns and its options. Splits planned by the driver's source are read by the worker's.
 */
public record SourceDescriptor(String stream, String connector, RowType rowType, Map<String, String> options) {
  public SourceDescriptor {
    requireNonNull(stream, "stream is null");
    requireNonNull(connector, "connector is null");
    requireNonNull(rowType, "rowType is null");
    options = Map.copyOf(options);
  }
}

package io.dstream.executor.source;

import io.dstream.executor.time.Clock;
import io.dstream.executor.type.RowType;
import java.util.Map;

/** Creates sources of one connector ({@code WITH (connector = '...')}). */
public interface SourceFactory {
  /** The connector name, lower case. */
  String connector();

  /**
   * Checks the options of a stream at CREATE STREAM time, throwing an {@code EngineException}
   * (code VALIDATION_ERROR or NOT_FOUND) with a message a user can act on.
   */
  void validate(String stream, RowType rowType, Map<String, String> options);

  /** Creates a reader for one query. Options are already validated. */
  Source create(String stream, RowType rowType, Map<String, String> options, Clock clock);
}

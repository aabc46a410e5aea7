package io.dstream.executor.sink;

import io.dstream.executor.type.RowType;
import java.util.Map;

/** Creates sinks of one connector for {@code CREATE STREAM ... WITH (...) AS SELECT STREAM}. */
public interface SinkFactory {
  String connector();

  /** Checks options, throwing an {@code EngineException} with an actionable message. */
  void validate(String stream, RowType rowType, Map<String, String> options);

  Sink create(String stream, RowType rowType, Map<String, String> options);
}

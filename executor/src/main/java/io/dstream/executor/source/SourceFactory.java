package io.dstream.executor.source;

import io.dstream.executor.time.Clock;
import io.dstream.executor.type.RowType;
import java.util.Map;

/**
 * Creates sources of one connector ({@code WITH (connector = '...')}). A connector may hold
 * resources per stream (a listening socket, say) from {@link #start} to {@link #drop}, and all
 * of them until {@link #close}.
 */
public interface SourceFactory extends AutoCloseable {
  /** The connector name, lower case. */
  String connector();

  /**
   * Checks the options of a stream at CREATE STREAM time, throwing an {@code EngineException}
   * (code VALIDATION_ERROR or NOT_FOUND) with a message a user can act on.
   */
  void validate(String stream, RowType rowType, Map<String, String> options);

  /** Creates a reader for one query. Options are already validated. */
  Source create(String stream, RowType rowType, Map<String, String> options, Clock clock);

  /**
   * Called once a stream of this connector, validated, is about to enter the catalog: acquires
   * what the stream needs while it exists. The default does nothing.
   *
   * @throws io.dstream.executor.error.EngineException when that fails; the stream is not created
   */
  default void start(String stream, RowType rowType, Map<String, String> options) {}

  /** Called when {@code stream} leaves the catalog: releases what {@link #start} acquired. */
  default void drop(String stream) {}

  /** Releases what every stream of this connector holds. The default does nothing. */
  @Override
  default void close() {}
}

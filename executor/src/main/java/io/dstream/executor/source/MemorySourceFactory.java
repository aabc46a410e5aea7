package io.dstream.executor.source;

import io.dstream.executor.time.Clock;
import io.dstream.executor.type.RowType;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The 'memory' connector: streams held in {@link MemoryLog}s, fed by tests and INSERT INTO.
 * Option {@code start}: 'latest' (default; read what is appended after the query starts) or
 * 'earliest' (read the log from its first row). Thread-safe.
 */
public final class MemorySourceFactory implements SourceFactory {
  public static final String START = "start";
  public static final String LATEST = "latest";
  public static final String EARLIEST = "earliest";

  private static final Set<String> KNOWN = Set.of(START);

  private final ConcurrentMap<String, MemoryLog> logs = new ConcurrentHashMap<>();
  private volatile MemoryLog.Replicator replicator;

  @Override
  public String connector() {
    return "memory";
  }

  /** The log of {@code stream} (any case), created empty on first use. */
  public MemoryLog log(String stream) {
    return logs.computeIfAbsent(stream.toLowerCase(Locale.ROOT), name -> {
      MemoryLog log = new MemoryLog(name);
      MemoryLog.Replicator r = replicator;
      if (r != null) {
        log.replicateWith(r);
      }
      return log;
    });
  }

  /**
   * Stores the rows appended to every log, present and future, with {@code replicator} (cluster
   * mode); call before rows are appended.
   */
  public void replicateWith(MemoryLog.Replicator replicator) {
    this.replicator = replicator;
    logs.values().forEach(log -> log.replicateWith(replicator));
  }

  /**
   * Forgets the log of {@code stream} and releases its stored input blocks; queries still
   * reading it keep their reference.
   */
  @Override
  public void drop(String stream) {
    MemoryLog log = logs.remove(stream.toLowerCase(Locale.ROOT));
    if (log != null) {
      log.release();
    }
  }

  @Override
  public void validate(String stream, RowType rowType, Map<String, String> options) {
    startAtEarliest(stream, options);
    log(stream).bind(rowType);
  }

  @Override
  public Source create(String stream, RowType rowType, Map<String, String> options, Clock clock) {
    MemoryLog log = log(stream);
    log.bind(rowType);
    return new MemorySource(rowType, log, startAtEarliest(stream, options) ? 0 : log.end());
  }

  private static boolean startAtEarliest(String stream, Map<String, String> options) {
    SourceRegistry.requireKnownOptions("memory", stream, options, KNOWN);
    return SourceRegistry.choiceOption(stream, SourceRegistry.normalize(options), START, LATEST,
        Set.of(LATEST, EARLIEST)).equals(EARLIEST);
  }
}

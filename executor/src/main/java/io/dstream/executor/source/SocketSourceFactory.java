package io.dstream.executor.source;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.time.Clock;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The 'socket' connector: a stream fed over TCP with newline-delimited csv records (see {@link
 * SocketReceiver}). The receiver starts at CREATE STREAM ({@link #start}), so that a port
 * already taken fails the statement and clients may connect before any query runs, and stops at
 * DROP STREAM or when the engine closes. Every query reads the shared receiver's log from its end
 * when it starts ("latest"): rows received while no query runs are not read by later ones.
 *
 * <p>Options: {@code port} (required; 0 picks a free port), {@code host} (default 127.0.0.1),
 * {@code on.error} ('fail' closes a connection at its first bad record, 'skip' drops and counts
 * bad records; default 'fail'). Its input lives in the driver: it is not replayable after a
 * restart. In cluster mode ({@link #replicateWith}) the rows of each read are stored on workers
 * before they are read, and remote workers read those copies. Thread-safe.
 */
public final class SocketSourceFactory implements SourceFactory {
  public static final String PORT = "port";
  public static final String HOST = "host";
  public static final String ON_ERROR = "on.error";
  public static final String DEFAULT_HOST = "127.0.0.1";

  private static final Set<String> KNOWN = Set.of(PORT, HOST, ON_ERROR);

  private final ConcurrentMap<String, SocketReceiver> receivers = new ConcurrentHashMap<>();
  private volatile MemoryLog.Replicator replicator;

  /** Stores the rows every receiver, present and future, receives with {@code replicator}. */
  public void replicateWith(MemoryLog.Replicator replicator) {
    this.replicator = replicator;
    receivers.values().forEach(r -> r.log().replicateWith(replicator));
  }

  @Override
  public String connector() {
    return "socket";
  }

  @Override
  public void validate(String stream, RowType rowType, Map<String, String> options) {
    config(stream, rowType, options);
  }

  private record Config(String host, int port, boolean skip) {}

  private static Config config(String stream, RowType rowType, Map<String, String> options) {
    SourceRegistry.requireKnownOptions("socket", stream, options, KNOWN);
    Map<String, String> normalized = SourceRegistry.normalize(options);
    if (!normalized.containsKey(PORT)) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR, "socket stream " + stream
          + " needs option 'port' (the TCP port it listens on; 0 picks a free one)");
    }
    int port = (int) SourceRegistry.longOption(stream, normalized, PORT, 0, 0, 65_535);
    String host = normalized.getOrDefault(HOST, DEFAULT_HOST).trim();
    boolean skip = SourceRegistry.choiceOption(stream, normalized, ON_ERROR, "fail",
        Set.of("fail", "skip")).equals("skip");
    if (rowType.size() == 0) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR, "socket stream " + stream + " has no columns");
    }
    for (Column column : rowType.columns()) {
      if (!CsvRowParser.supports(column.type())) {
        throw new EngineException(ErrorCode.VALIDATION_ERROR, "Column '" + column.name() + "' of socket stream "
            + stream + " has type " + column.type().sqlName() + ", which csv text cannot hold");
      }
    }
    return new Config(host, port, skip);
  }

  /** Starts the receiver of {@code stream}, bound to its host and port. */
  @Override
  public void start(String stream, RowType rowType, Map<String, String> options) {
    Config config = config(stream, rowType, options);
    String key = stream.toLowerCase(Locale.ROOT);
    synchronized (receivers) {
      if (receivers.containsKey(key)) {
        throw new EngineException(ErrorCode.ALREADY_EXISTS, "socket stream " + stream + " is already receiving");
      }
      SocketReceiver receiver = SocketReceiver.start(stream, rowType, config.host(), config.port(), config.skip());
      MemoryLog.Replicator r = replicator;
      if (r != null) {
        receiver.log().replicateWith(r);
      }
      receivers.put(key, receiver);
    }
  }

  /** The receiver of {@code stream} (any case), while the stream exists. */
  public Optional<SocketReceiver> receiver(String stream) {
    return Optional.ofNullable(receivers.get(stream.toLowerCase(Locale.ROOT)));
  }

  @Override
  public Source create(String stream, RowType rowType, Map<String, String> options, Clock clock) {
    SocketReceiver receiver = receiver(stream).orElseThrow(() -> new EngineException(ErrorCode.UNSUPPORTED,
        "socket stream " + stream + " has no receiver in this process; socket streams are read by the driver"));
    MemoryLog log = receiver.log();
    return new MemorySource(rowType, log, log.end());
  }

  /** Stops the receiver of {@code stream}; queries still reading it see no further rows. */
  @Override
  public void drop(String stream) {
    SocketReceiver receiver = receivers.remove(stream.toLowerCase(Locale.ROOT));
    if (receiver != null) {
      receiver.close();
      receiver.log().release();
    }
  }

  @Override
  public void close() {
    for (String stream : new ArrayList<>(receivers.keySet())) {
      drop(stream);
    }
  }
}

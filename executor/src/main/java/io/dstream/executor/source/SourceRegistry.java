package io.dstream.executor.source;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The source connectors known to an engine, by connector name. Immutable and thread-safe. Also
 * holds the option checks the connectors of this package share.
 */
public final class SourceRegistry implements AutoCloseable {
  /** The option naming the connector itself, accepted by every connector. */
  static final String CONNECTOR = "connector";
  /** Options of every stream, whatever its connector: they configure the queries over it. */
  static final Set<String> STREAM_OPTIONS = Set.of("allowed.lateness", "late.data.stream");

  private final Map<String, SourceFactory> factories;

  public SourceRegistry(Collection<? extends SourceFactory> factories) {
    Map<String, SourceFactory> byName = new TreeMap<>();
    for (SourceFactory factory : factories) {
      String name = factory.connector().toLowerCase(Locale.ROOT);
      if (byName.put(name, factory) != null) {
        throw new IllegalArgumentException("duplicate source connector " + name);
      }
    }
    this.factories = Map.copyOf(byName);
  }

  /** The built-in connectors: csv, memory (backed by {@code memory}), nexmark and socket. */
  public static SourceRegistry defaults(MemorySourceFactory memory) {
    return defaults(memory, new SocketSourceFactory());
  }

  /** The built-in connectors, with {@code memory} and {@code socket} as given. */
  public static SourceRegistry defaults(MemorySourceFactory memory, SocketSourceFactory socket) {
    requireNonNull(memory, "memory is null");
    requireNonNull(socket, "socket is null");
    return new SourceRegistry(List.of(new CsvSourceFactory(), memory, new NexmarkSourceFactory(), socket));
  }

  /** Closes every connector (stopping, for instance, socket receivers). */
  @Override
  public void close() {
    for (SourceFactory factory : factories.values()) {
      factory.close();
    }
  }

  /**
   * The factory of {@code connector} (any case).
   *
   * @throws EngineException NOT_FOUND listing the available connectors
   */
  public SourceFactory factory(String connector) {
    SourceFactory factory = factories.get(connector.toLowerCase(Locale.ROOT));
    if (factory == null) {
      throw new EngineException(ErrorCode.NOT_FOUND, "Unknown connector '" + connector
          + "'; available: " + String.join(", ", connectors()));
    }
    return factory;
  }

  /** Connector names, sorted. */
  public List<String> connectors() {
    return new ArrayList<>(new TreeSet<>(factories.keySet()));
  }

  /** Options with lower-case keys, so that option names are matched ignoring case. */
  static Map<String, String> normalize(Map<String, String> options) {
    Map<String, String> result = new HashMap<>();
    for (Map.Entry<String, String> e : options.entrySet()) {
      result.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
    }
    return result;
  }

  /** Rejects option keys outside {@code known} (plus 'connector'), naming the known ones. */
  static void requireKnownOptions(String connector, String stream, Map<String, String> options,
      Set<String> known) {
    for (String key : options.keySet()) {
      String k = key.toLowerCase(Locale.ROOT);
      if (!k.equals(CONNECTOR) && !STREAM_OPTIONS.contains(k) && !known.contains(k)) {
        throw new EngineException(ErrorCode.VALIDATION_ERROR, "Unknown option '" + key
            + "' for " + connector + " stream " + stream + "; known options: "
            + String.join(", ", new TreeSet<>(known)));
      }
    }
  }

  /** A long option; {@code fallback} when absent. */
  static long longOption(String stream, Map<String, String> normalized, String key, long fallback,
      long min, long max) {
    String text = normalized.get(key);
    if (text == null) {
      return fallback;
    }
    long value;
    try {
      value = Long.parseLong(text.trim().replace("_", ""));
    } catch (NumberFormatException e) {
      throw invalidOption(stream, key, text, "an integer");
    }
    if (value < min || value > max) {
      throw invalidOption(stream, key, text, "an integer between " + min + " and " + max);
    }
    return value;
  }

  static boolean booleanOption(String stream, Map<String, String> normalized, String key,
      boolean fallback) {
    String text = normalized.get(key);
    if (text == null) {
      return fallback;
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalidOption(stream, key, text, "true or false");
    };
  }

  /** One of {@code choices} (lower case), ignoring case. */
  static String choiceOption(String stream, Map<String, String> normalized, String key,
      String fallback, Set<String> choices) {
    String text = normalized.get(key);
    if (text == null) {
      return fallback;
    }
    String value = text.trim().toLowerCase(Locale.ROOT);
    if (!choices.contains(value)) {
      throw invalidOption(stream, key, text, "one of " + String.join(", ", new TreeSet<>(choices)));
    }
    return value;
  }

  static EngineException invalidOption(String stream, String key, String value, String expected) {
    return new EngineException(ErrorCode.VALIDATION_ERROR, "Invalid value '" + value
        + "' for option '" + key + "' of stream " + stream + ": expected " + expected);
  }
}

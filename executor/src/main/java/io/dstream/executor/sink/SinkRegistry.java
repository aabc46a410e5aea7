package io.dstream.executor.sink;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The sink connectors known to an engine, by connector name. Immutable and thread-safe. */
public final class SinkRegistry {
  private final Map<String, SinkFactory> factories;

  public SinkRegistry(Collection<? extends SinkFactory> factories) {
    Map<String, SinkFactory> byName = new TreeMap<>();
    for (SinkFactory factory : factories) {
      String name = factory.connector().toLowerCase(Locale.ROOT);
      if (byName.put(name, factory) != null) {
        throw new IllegalArgumentException("duplicate sink connector " + name);
      }
    }
    this.factories = Map.copyOf(byName);
  }

  /** The built-in connectors: blackhole and csv. */
  public static SinkRegistry defaults() {
    return defaults(new BlackholeSinkFactory());
  }

  /** The built-in connectors, with {@code blackhole} as the blackhole connector. */
  public static SinkRegistry defaults(BlackholeSinkFactory blackhole) {
    requireNonNull(blackhole, "blackhole is null");
    return new SinkRegistry(List.of(blackhole, new CsvSinkFactory()));
  }

  /**
   * The factory of {@code connector} (any case).
   *
   * @throws EngineException NOT_FOUND listing the available connectors
   */
  public SinkFactory factory(String connector) {
    SinkFactory factory = factories.get(connector.toLowerCase(Locale.ROOT));
    if (factory == null) {
      throw new EngineException(ErrorCode.NOT_FOUND, "Unknown connector '" + connector
          + "'; available: " + String.join(", ", connectors()));
    }
    return factory;
  }

  /** Connector names, sorted. */
  public List<String> connectors() {
    List<String> names = new ArrayList<>(factories.keySet());
    names.sort(null);
    return names;
  }
}

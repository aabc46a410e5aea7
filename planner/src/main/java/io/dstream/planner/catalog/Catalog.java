package io.dstream.planner.catalog;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The streams, tables and user-defined functions known to the engine, each by case-insensitive
 * name. Thread-safe.
 */
public final class Catalog {
  private final ConcurrentSkipListMap<String, StreamDefinition> streams =
      new ConcurrentSkipListMap<>(String.CASE_INSENSITIVE_ORDER);
  private final ConcurrentSkipListMap<String, FunctionDefinition> functions =
      new ConcurrentSkipListMap<>(String.CASE_INSENSITIVE_ORDER);

  public void add(StreamDefinition definition, boolean ifNotExists) {
    StreamDefinition previous = streams.putIfAbsent(definition.name(), definition);
    if (previous != null && !ifNotExists) {
      throw new EngineException(ErrorCode.ALREADY_EXISTS,
          "Stream '" + definition.name() + "' already exists");
    }
  }

  public Optional<StreamDefinition> find(String name) {
    return Optional.ofNullable(streams.get(name));
  }

  public StreamDefinition get(String name) {
    return find(name).orElseThrow(() -> new EngineException(ErrorCode.NOT_FOUND,
        "Stream '" + name + "' does not exist; SHOW STREAMS lists the known ones"));
  }

  public boolean remove(String name) {
    return streams.remove(name) != null;
  }

  public List<StreamDefinition> all() {
    return new ArrayList<>(streams.values());
  }

  /** Adds a function; fails if one of that name exists, unless {@code ifNotExists}. */
  public void addFunction(FunctionDefinition definition, boolean ifNotExists) {
    FunctionDefinition previous = functions.putIfAbsent(definition.name(), definition);
    if (previous != null && !ifNotExists) {
      throw new EngineException(ErrorCode.ALREADY_EXISTS,
          "Function '" + previous.name() + "' already exists (class " + previous.className() + ")");
    }
  }

  public Optional<FunctionDefinition> findFunction(String name) {
    return Optional.ofNullable(functions.get(name));
  }

  public boolean removeFunction(String name) {
    return functions.remove(name) != null;
  }

  /** The user-defined functions, by name. */
  public List<FunctionDefinition> functions() {
    return new ArrayList<>(functions.values());
  }
}

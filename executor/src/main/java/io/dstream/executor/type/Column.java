package io.dstream.executor.type;

import static java.util.Objects.requireNonNull;

/** A named, typed column of a row type. */
public record Column(String name, DataType type) {
  public Column {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
  }
}

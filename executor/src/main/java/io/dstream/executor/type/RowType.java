package io.dstream.executor.type;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The ordered columns of a dataset, a stream or a query result. */
public record RowType(List<Column> columns) {
  public RowType {
    columns = List.copyOf(columns);
  }

  public static RowType of(Column... columns) {
    return new RowType(List.of(columns));
  }

  public int size() {
    return columns.size();
  }

  public Column column(int index) {
    return columns.get(index);
  }

  public DataType type(int index) {
    return columns.get(index).type();
  }

  /** Finds a column by name, ignoring case, as unquoted SQL identifiers do. */
  public Optional<Integer> indexOf(String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equalsIgnoreCase(name)) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  public RowType append(RowType other) {
    List<Column> all = new ArrayList<>(columns);
    all.addAll(other.columns);
    return new RowType(all);
  }
}

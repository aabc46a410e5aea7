package io.dstream.planner.schema;

import io.dstream.planner.catalog.Catalog;
import io.dstream.planner.catalog.StreamDefinition;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

/** A snapshot of the catalog as a Calcite schema, made for one statement. */
public final class CatalogSchema extends AbstractSchema {
  private final Map<String, Table> tables = new LinkedHashMap<>();

  public CatalogSchema(Catalog catalog) {
    for (StreamDefinition d : catalog.all()) {
      tables.put(d.name(), d.kind() == StreamDefinition.Kind.TABLE ? new StaticTable(d) : new StreamTable(d));
    }
  }

  @Override
  protected Map<String, Table> getTableMap() {
    return tables;
  }
}

package io.dstream.planner.schema;

import com.google.common.collect.ImmutableMultimap;
import com.google.common.collect.Multimap;
import io.dstream.executor.function.EvalMethod;
import io.dstream.planner.catalog.Catalog;
import io.dstream.planner.catalog.FunctionDefinition;
import io.dstream.planner.catalog.StreamDefinition;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.calcite.schema.Function;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

/** A snapshot of the catalog as a Calcite schema, made for one statement. */
public final class CatalogSchema extends AbstractSchema {
  private final Map<String, Table> tables = new LinkedHashMap<>();
  private final ImmutableMultimap<String, Function> functions;

  public CatalogSchema(Catalog catalog) {
    for (StreamDefinition d : catalog.all()) {
      tables.put(d.name(), d.kind() == StreamDefinition.Kind.TABLE ? new StaticTable(d) : new StreamTable(d));
    }
    ImmutableMultimap.Builder<String, Function> builder = ImmutableMultimap.builder();
    for (FunctionDefinition f : catalog.functions()) {
      for (EvalMethod m : f.methods()) {
        builder.put(f.name(), new UserScalarFunction(f, m));
      }
    }
    functions = builder.build();
  }

  @Override
  protected Multimap<String, Function> getFunctionMultimap() {
    return functions;
  }

  @Override
  protected Map<String, Table> getTableMap() {
    return tables;
  }
}

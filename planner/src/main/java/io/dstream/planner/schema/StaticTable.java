package io.dstream.planner.schema;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.planner.catalog.StreamDefinition;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.impl.AbstractTable;

/**
 * A catalog table (CREATE TABLE) as Calcite's validator sees it: bounded, so not streamable. A
 * SELECT STREAM may join a stream with it, but cannot read it alone. Never scanned by Calcite.
 */
final class StaticTable extends AbstractTable implements ScannableTable {
  private final StreamDefinition definition;

  StaticTable(StreamDefinition definition) {
    this.definition = definition;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory factory) {
    return TypeMapping.toRelDataType(definition.rowType(), factory);
  }

  @Override
  public Enumerable<Object[]> scan(DataContext root) {
    throw new EngineException(ErrorCode.INTERNAL_ERROR, "tables are read by the D-stream executor");
  }
}

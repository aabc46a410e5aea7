package io.dstream.planner.schema;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.planner.catalog.StreamDefinition;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Statistics;
import org.apache.calcite.schema.StreamableTable;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractTable;

/**
 * A catalog stream as Calcite's validator sees it: streamable, and sorted on its event-time
 * column so that GROUP BY a window of it is monotonic. Never scanned by Calcite itself.
 */
final class StreamTable extends AbstractTable implements ScannableTable, StreamableTable {
  private final StreamDefinition definition;

  StreamTable(StreamDefinition definition) {
    this.definition = definition;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory factory) {
    return TypeMapping.toRelDataType(definition.rowType(), factory);
  }

  @Override
  public Statistic getStatistic() {
    int time = orderingColumn();
    if (time < 0) {
      return Statistics.UNKNOWN;
    }
    return Statistics.of(1_000_000d, List.of(), List.of(RelCollations.of(time)));
  }

  private int orderingColumn() {
    if (definition.timeColumn() >= 0) {
      return definition.timeColumn();
    }
    List<Column> columns = definition.rowType().columns();
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).type().kind() == DataType.Kind.TIMESTAMP) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Enumerable<Object[]> scan(DataContext root) {
    throw new EngineException(ErrorCode.INTERNAL_ERROR, "streams are executed by the D-stream executor");
  }

  @Override
  public Table stream() {
    return this;
  }
}

package io.dstream.planner.schema;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.DataType.Kind;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.type.SqlTypeName;

/** Converts between Calcite's types and the executor's. */
public final class TypeMapping {
  private TypeMapping() {}

  public static DataType toDataType(RelDataType type) {
    boolean nullable = type.isNullable();
    SqlTypeName name = type.getSqlTypeName();
    DataType base = switch (name) {
      case BOOLEAN -> DataType.of(Kind.BOOLEAN);
      case TINYINT -> DataType.of(Kind.TINYINT);
      case SMALLINT -> DataType.of(Kind.SMALLINT);
      case INTEGER -> DataType.of(Kind.INTEGER);
      case BIGINT -> DataType.of(Kind.BIGINT);
      case DECIMAL -> {
        if (type.getPrecision() > 18) {
          yield DataType.decimal(Math.min(type.getPrecision(), 19), type.getScale());
        }
        yield DataType.decimal(type.getPrecision(), type.getScale());
      }
      case FLOAT, REAL -> DataType.of(Kind.REAL);
      case DOUBLE -> DataType.of(Kind.DOUBLE);
      case CHAR -> new DataType(Kind.CHAR, type.getPrecision(), 0, true);
      case VARCHAR -> new DataType(Kind.VARCHAR, type.getPrecision() < 0 ? Integer.MAX_VALUE : type.getPrecision(), 0, true);
      case TIMESTAMP -> new DataType(Kind.TIMESTAMP, Math.max(0, type.getPrecision()), 0, true);
      case DATE -> DataType.of(Kind.DATE);
      case TIME -> DataType.of(Kind.TIME);
      case NULL -> DataType.of(Kind.VARCHAR);
      case INTERVAL_DAY, INTERVAL_DAY_HOUR, INTERVAL_DAY_MINUTE, INTERVAL_DAY_SECOND, INTERVAL_HOUR,
          INTERVAL_HOUR_MINUTE, INTERVAL_HOUR_SECOND, INTERVAL_MINUTE, INTERVAL_MINUTE_SECOND,
          INTERVAL_SECOND -> DataType.of(Kind.INTERVAL_DAY_TIME);
      case INTERVAL_YEAR, INTERVAL_YEAR_MONTH, INTERVAL_MONTH -> DataType.of(Kind.INTERVAL_YEAR_MONTH);
      default -> throw new EngineException(ErrorCode.UNSUPPORTED, "SQL type " + name + " is not supported");
    };
    return base.withNullable(nullable);
  }

  public static RowType toRowType(RelDataType rowType) {
    List<Column> columns = new ArrayList<>();
    for (RelDataTypeField f : rowType.getFieldList()) {
      columns.add(new Column(f.getName(), toDataType(f.getType())));
    }
    return new RowType(columns);
  }

  /** Calcite's row type of {@code rowType}: the inverse of {@link #toRowType}. */
  public static RelDataType toRelDataType(RowType rowType, RelDataTypeFactory factory) {
    RelDataTypeFactory.Builder builder = factory.builder();
    for (Column c : rowType.columns()) {
      builder.add(c.name(), toRelDataType(c.type(), factory));
    }
    return builder.build();
  }

  public static RelDataType toRelDataType(DataType type, RelDataTypeFactory factory) {
    RelDataType t = switch (type.kind()) {
      case BOOLEAN -> factory.createSqlType(SqlTypeName.BOOLEAN);
      case TINYINT -> factory.createSqlType(SqlTypeName.TINYINT);
      case SMALLINT -> factory.createSqlType(SqlTypeName.SMALLINT);
      case INTEGER -> factory.createSqlType(SqlTypeName.INTEGER);
      case BIGINT -> factory.createSqlType(SqlTypeName.BIGINT);
      case DECIMAL -> factory.createSqlType(SqlTypeName.DECIMAL, type.precision(), type.scale());
      case REAL -> factory.createSqlType(SqlTypeName.REAL);
      case DOUBLE -> factory.createSqlType(SqlTypeName.DOUBLE);
      case VARCHAR -> type.precision() > 0 && type.precision() < Integer.MAX_VALUE
          ? factory.createSqlType(SqlTypeName.VARCHAR, type.precision())
          : factory.createSqlType(SqlTypeName.VARCHAR);
      case CHAR -> factory.createSqlType(SqlTypeName.CHAR, type.precision());
      case TIMESTAMP -> factory.createSqlType(SqlTypeName.TIMESTAMP, type.precision());
      case DATE -> factory.createSqlType(SqlTypeName.DATE);
      case TIME -> factory.createSqlType(SqlTypeName.TIME);
      default -> throw new EngineException(ErrorCode.UNSUPPORTED, "Column type " + type + " is not supported");
    };
    return factory.createTypeWithNullability(t, type.nullable());
  }
}

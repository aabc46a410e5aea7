package io.dstream.planner;

import java.util.List;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlWindowTableFunction;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlOperandMetadata;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlMonotonicity;

/**
 * The functions DStream SQL adds to Calcite's standard operators: the CUMULATE window table
 * function (as in Flink SQL) and PROCTIME(), the processing time of a micro-batch.
 */
public final class StreamOperators {
  /**
   * {@code CUMULATE(TABLE t, DESCRIPTOR(time), step, size [, offset])}: the windows
   * [start, start + k * step) for k = 1 .. size / step, with start = floor(time, size). Its
   * operands are HOP's (slide is the step), so it reuses HOP's operand checks.
   */
  public static final SqlWindowTableFunction CUMULATE = new SqlWindowTableFunction("CUMULATE",
      (SqlOperandMetadata) SqlStdOperatorTable.HOP.getOperandTypeChecker());

  /**
   * {@code PROCTIME()}: the processing time of the micro-batch a row arrives in, the start of
   * the batch interval; increases from batch to batch, so windows on it are monotonic.
   */
  public static final SqlFunction PROCTIME = new SqlFunction("PROCTIME", SqlKind.OTHER_FUNCTION,
      ReturnTypes.explicit(SqlTypeName.TIMESTAMP, 3), null, OperandTypes.NILADIC, SqlFunctionCategory.TIMEDATE) {
    @Override
    public boolean isDeterministic() {
      return false;
    }

    @Override
    public boolean isDynamicFunction() {
      return true;
    }

    @Override
    public SqlMonotonicity getMonotonicity(SqlOperatorBinding call) {
      return SqlMonotonicity.INCREASING;
    }
  };

  private StreamOperators() {}

  /** Calcite's standard operators, then these. */
  static SqlOperatorTable table() {
    return SqlOperatorTables.chain(SqlStdOperatorTable.instance(), SqlOperatorTables.of(List.of(CUMULATE, PROCTIME)));
  }
}

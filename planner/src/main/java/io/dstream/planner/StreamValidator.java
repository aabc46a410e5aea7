package io.dstream.planner;

import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWindowTableFunction;
import org.apache.calcite.sql.validate.SqlModality;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorImpl;

/**
 * Calcite's validator, plus one streaming rule it lacks: SELECT STREAM over a window table
 * function grouped by window_start or window_end is monotonic (each window closes once the
 * watermark passes its end), so it is accepted. With EMIT CHANGES, any GROUP BY over a stream
 * is accepted: its changelog updates groups as rows arrive.
 */
final class StreamValidator extends SqlValidatorImpl {
  /** True for EMIT CHANGES: a changelog may group without a window. */
  private final boolean changelog;

  StreamValidator(boolean changelog, SqlOperatorTable operators, Prepare.CatalogReader reader,
      RelDataTypeFactory types, SqlValidator.Config config) {
    super(operators, reader, types, config);
    this.changelog = changelog;
  }

  @Override
  public boolean validateModality(SqlSelect select, SqlModality modality, boolean fail) {
    if (changelog && modality == SqlModality.STREAM && select.getGroup() != null) {
      // A changelog updates each group as rows arrive: no monotonic key is needed.
      return true;
    }
    if (modality == SqlModality.STREAM && select.getGroup() != null
        && isWindowTableFunction(select.getFrom()) && groupsByWindowBound(select)) {
      return true;
    }
    return super.validateModality(select, modality, fail);
  }

  private static boolean isWindowTableFunction(SqlNode from) {
    if (from == null) {
      return false;
    }
    if (from.getKind() == SqlKind.AS) {
      return isWindowTableFunction(((SqlCall) from).operand(0));
    }
    if (from.getKind() == SqlKind.COLLECTION_TABLE) {
      SqlNode inner = ((SqlCall) from).operand(0);
      return inner instanceof SqlBasicCall call && call.getOperator() instanceof SqlWindowTableFunction;
    }
    return false;
  }

  private static boolean groupsByWindowBound(SqlSelect select) {
    for (SqlNode key : select.getGroup()) {
      if (key instanceof SqlIdentifier id) {
        String last = id.names.get(id.names.size() - 1);
        if (last.equalsIgnoreCase("window_start") || last.equalsIgnoreCase("window_end")) {
          return true;
        }
      }
    }
    return false;
  }
}

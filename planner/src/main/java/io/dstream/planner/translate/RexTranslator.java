package io.dstream.planner.translate;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.function.EvalMethod;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.Operator;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.DataType.Kind;
import io.dstream.planner.schema.TypeMapping;
import io.dstream.planner.schema.UserScalarFunction;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlTrimFunction;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

/** Translates Calcite row expressions into the executor's typed expressions. */
public final class RexTranslator {
  private final RexBuilder rexBuilder;

  public RexTranslator(RexBuilder rexBuilder) {
    this.rexBuilder = rexBuilder;
  }

  public Expr translate(RexNode node) {
    DataType type = TypeMapping.toDataType(node.getType());
    if (node instanceof RexInputRef ref) {
      return new Expr.InputRef(ref.getIndex(), type);
    }
    if (node instanceof RexLiteral literal) {
      return literal(literal, type);
    }
    if (node instanceof RexCall call) {
      return call(call, type);
    }
    throw unsupported(node.toString());
  }

  private static Expr literal(RexLiteral literal, DataType type) {
    if (literal.isNull()) {
      return new Expr.Literal(null, type);
    }
    Object value = switch (type.kind()) {
      case BOOLEAN -> literal.getValueAs(Boolean.class);
      case TINYINT, SMALLINT, INTEGER, BIGINT -> literal.getValueAs(BigDecimal.class).longValueExact();
      case DECIMAL -> literal.getValueAs(BigDecimal.class).setScale(type.scale(), java.math.RoundingMode.HALF_UP)
          .unscaledValue().longValueExact();
      case REAL, DOUBLE -> literal.getValueAs(Double.class);
      case VARCHAR, CHAR -> literal.getValueAs(String.class);
      case TIMESTAMP, TIME, INTERVAL_DAY_TIME, INTERVAL_YEAR_MONTH -> literal.getValueAs(Long.class);
      case DATE -> (long) literal.getValueAs(Integer.class);
    };
    return new Expr.Literal(value, type);
  }

  private Expr call(RexCall call, DataType type) {
    // No pattern variables here: with the switch below, they make javac 17 emit code the
    // verifier rejects (inconsistent stack map frames).
    if (call.getOperator() instanceof SqlUserDefinedFunction
        && ((SqlUserDefinedFunction) call.getOperator()).getFunction() instanceof UserScalarFunction) {
      return userFunction(call, (UserScalarFunction) ((SqlUserDefinedFunction) call.getOperator()).getFunction(),
          type);
    }
    SqlKind kind = call.getKind();
    if (kind == SqlKind.SEARCH) {
      return translate(RexUtil.expandSearch(rexBuilder, null, call));
    }
    List<RexNode> operands = call.getOperands();
    switch (kind) {
      case PLUS_PREFIX, REINTERPRET:
        return retype(translate(operands.get(0)), type);
      case TRIM:
        SqlTrimFunction.Flag flag = ((RexLiteral) operands.get(0)).getValueAs(SqlTrimFunction.Flag.class);
        String chars = ((RexLiteral) operands.get(1)).getValueAs(String.class);
        if (flag != SqlTrimFunction.Flag.BOTH || !" ".equals(chars)) {
          throw unsupported("TRIM other than TRIM(BOTH ' ' FROM ...)");
        }
        return new Expr.Call(Operator.TRIM, List.of(translate(operands.get(2))), type);
      case FLOOR, CEIL:
        if (operands.size() == 2) {
          return timeFloor(call, type);
        }
        break;
      default:
        break;
    }
    Operator op = operator(call);
    List<Expr> args = new ArrayList<>();
    for (RexNode operand : operands) {
      args.add(translate(operand));
    }
    return new Expr.Call(op, args, type);
  }

  /**
   * A call of a user-defined function's eval overload that Calcite chose; an argument the
   * method's parameter does not take as it is gets a CAST to the parameter's SQL type.
   */
  private Expr userFunction(RexCall call, UserScalarFunction function, DataType type) {
    EvalMethod method = function.method();
    List<Expr> args = new ArrayList<>();
    for (int i = 0; i < call.getOperands().size(); i++) {
      Expr arg = translate(call.getOperands().get(i));
      if (!method.accepts(i, arg.type())) {
        arg = new Expr.Call(Operator.CAST, List.of(arg), method.parameterSqlTypes().get(i).withNullable(true));
      }
      args.add(arg);
    }
    Expr result = new Expr.FunctionCall(function.function().name(), method.className(), method.parameterTypes(),
        args, method.resultType());
    return retype(result, type);
  }

  private Expr timeFloor(RexCall call, DataType type) {
    if (call.getKind() != SqlKind.FLOOR) {
      throw unsupported("CEIL(timestamp TO unit)");
    }
    TimeUnitRange unit = ((RexLiteral) call.getOperands().get(1)).getValueAs(TimeUnitRange.class);
    long millis = switch (unit) {
      case MILLISECOND -> 1L;
      case SECOND -> 1000L;
      case MINUTE -> 60_000L;
      case HOUR -> 3_600_000L;
      case DAY -> 86_400_000L;
      default -> throw unsupported("FLOOR(timestamp TO " + unit + ")");
    };
    DataType interval = DataType.of(Kind.INTERVAL_DAY_TIME);
    return new Expr.Call(Operator.WINDOW_FLOOR, List.of(translate(call.getOperands().get(0)),
        new Expr.Literal(millis, interval), new Expr.Literal(0L, interval)), type);
  }

  private static Expr retype(Expr e, DataType type) {
    if (e.type().physical() == type.physical() && e.type().kind() == type.kind()) {
      return e;
    }
    return new Expr.Call(Operator.CAST, List.of(e), type);
  }

  private static Operator operator(RexCall call) {
    return switch (call.getKind()) {
      case PLUS -> Operator.PLUS;
      case MINUS -> Operator.MINUS;
      case TIMES -> Operator.TIMES;
      case DIVIDE -> Operator.DIVIDE;
      case MOD -> Operator.MOD;
      case MINUS_PREFIX -> Operator.NEGATE;
      case EQUALS -> Operator.EQUALS;
      case NOT_EQUALS -> Operator.NOT_EQUALS;
      case LESS_THAN -> Operator.LESS_THAN;
      case LESS_THAN_OR_EQUAL -> Operator.LESS_THAN_OR_EQUAL;
      case GREATER_THAN -> Operator.GREATER_THAN;
      case GREATER_THAN_OR_EQUAL -> Operator.GREATER_THAN_OR_EQUAL;
      case AND -> Operator.AND;
      case OR -> Operator.OR;
      case NOT -> Operator.NOT;
      case IS_NULL -> Operator.IS_NULL;
      case IS_NOT_NULL -> Operator.IS_NOT_NULL;
      case IS_TRUE -> Operator.IS_TRUE;
      case IS_NOT_TRUE -> Operator.IS_NOT_TRUE;
      case IS_FALSE -> Operator.IS_FALSE;
      case IS_NOT_FALSE -> Operator.IS_NOT_FALSE;
      case CASE -> Operator.CASE;
      case CAST, SAFE_CAST -> Operator.CAST;
      case COALESCE -> Operator.COALESCE;
      case LIKE -> call.getOperator().getName().toUpperCase(Locale.ROOT).startsWith("NOT")
          ? Operator.NOT_LIKE : Operator.LIKE;
      case POSITION -> Operator.POSITION;
      case FLOOR -> Operator.FLOOR;
      case CEIL -> Operator.CEIL;
      default -> byName(call);
    };
  }

  private static Operator byName(RexCall call) {
    String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
    return switch (name) {
      case "UPPER" -> Operator.UPPER;
      case "LOWER" -> Operator.LOWER;
      case "CHAR_LENGTH", "CHARACTER_LENGTH" -> Operator.CHAR_LENGTH;
      case "SUBSTRING" -> Operator.SUBSTRING;
      case "||", "CONCAT" -> Operator.CONCAT;
      case "ABS" -> Operator.ABS;
      case "MOD" -> Operator.MOD;
      case "PROCTIME" -> Operator.PROCTIME;
      default -> throw unsupported("function " + call.getOperator().getName());
    };
  }

  static EngineException unsupported(String what) {
    return new EngineException(ErrorCode.UNSUPPORTED, "Not supported in streaming queries yet: " + what);
  }
}

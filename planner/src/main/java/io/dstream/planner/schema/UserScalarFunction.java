package io.dstream.planner.schema;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.function.EvalMethod;
import io.dstream.planner.catalog.FunctionDefinition;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.ScalarFunction;

/**
 * One {@code eval} overload of a user-defined function, as Calcite's validator sees it: SQL
 * parameter types (all nullable: a NULL argument is allowed and handled by the executor) and a
 * nullable result type. Calcite chooses among a function's overloads.
 */
public final class UserScalarFunction implements ScalarFunction {
  private final FunctionDefinition function;
  private final EvalMethod method;

  public UserScalarFunction(FunctionDefinition function, EvalMethod method) {
    this.function = requireNonNull(function, "function is null");
    this.method = requireNonNull(method, "method is null");
  }

  public FunctionDefinition function() {
    return function;
  }

  public EvalMethod method() {
    return method;
  }

  @Override
  public RelDataType getReturnType(RelDataTypeFactory typeFactory) {
    return TypeMapping.toRelDataType(method.resultType().withNullable(true), typeFactory);
  }

  @Override
  public List<FunctionParameter> getParameters() {
    List<FunctionParameter> out = new ArrayList<>();
    for (int i = 0; i < method.parameterSqlTypes().size(); i++) {
      int ordinal = i;
      out.add(new FunctionParameter() {
        @Override
        public int getOrdinal() {
          return ordinal;
        }

        @Override
        public String getName() {
          return "arg" + ordinal;
        }

        @Override
        public RelDataType getType(RelDataTypeFactory typeFactory) {
          return TypeMapping.toRelDataType(method.parameterSqlTypes().get(ordinal).withNullable(true), typeFactory);
        }

        @Override
        public boolean isOptional() {
          return false;
        }
      });
    }
    return out;
  }
}

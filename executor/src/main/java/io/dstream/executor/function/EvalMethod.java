package io.dstream.executor.function;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.type.DataType;
import java.util.ArrayList;
import java.util.List;

/**
 * One public {@code eval} method of a function class: its Java parameter types (as {@link
 * Class#getName()} spells them), their SQL types, and the SQL type of its result, which is
 * always nullable (a primitive parameter given NULL makes the result NULL).
 */
public record EvalMethod(String className, List<String> parameterTypes, List<DataType> parameterSqlTypes,
    String returnType, DataType resultType) {
  public EvalMethod {
    requireNonNull(className, "className is null");
    parameterTypes = List.copyOf(parameterTypes);
    parameterSqlTypes = List.copyOf(parameterSqlTypes);
    requireNonNull(returnType, "returnType is null");
    requireNonNull(resultType, "resultType is null");
  }

  /** Whether an argument of SQL type {@code argument} is passed to parameter {@code i} as it is. */
  public boolean accepts(int i, DataType argument) {
    try {
      return JavaTypes.accepts(JavaTypes.forName(parameterTypes.get(i)), argument);
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** The SQL signature, as SHOW FUNCTIONS lists it: {@code (BIGINT, VARCHAR) -> DOUBLE}. */
  public String sqlSignature() {
    List<String> params = new ArrayList<>();
    for (DataType t : parameterSqlTypes) {
      params.add(t.sqlName());
    }
    return "(" + String.join(", ", params) + ") -> " + resultType.sqlName();
  }
}

package io.dstream.executor.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionClassesTest {
  private static String name(Class<?> c) {
    return c.getName();
  }

  @Test
  void evalMethodsAreListedWithTheirSqlSignatures() {
    List<EvalMethod> methods = FunctionClasses.evalMethods("shout", name(TestFunctions.Shout.class));
    assertThat(methods).extracting(EvalMethod::sqlSignature)
        .containsExactly("(VARCHAR) -> VARCHAR", "(VARCHAR, INTEGER) -> VARCHAR");
    assertThat(methods.get(1).parameterTypes()).containsExactly("java.lang.String", "int");
    assertThat(methods.get(1).parameterSqlTypes().get(1).nullable()).isFalse();
    assertThat(methods.get(0).resultType().nullable()).isTrue();
  }

  @Test
  void everySupportedTypeMaps() {
    assertThat(FunctionClasses.evalMethods("c", name(TestFunctions.Conversions.class)))
        .extracting(EvalMethod::sqlSignature)
        .containsExactlyInAnyOrder("(DECIMAL(18, 6)) -> DECIMAL(18, 6)", "(TIMESTAMP(3), INTEGER) -> TIMESTAMP(3)",
            "(TIMESTAMP(3)) -> TIMESTAMP(3)", "(DOUBLE) -> BOOLEAN");
  }

  @Test
  void missingClassIsNotFound() {
    assertThatThrownBy(() -> FunctionClasses.evalMethods("f", "com.example.Missing"))
        .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
        .hasMessage("Function f: class com.example.Missing is not on the classpath; add its jar to the"
            + " server's and every worker's classpath (DSTREAM_CLASSPATH)");
  }

  @Test
  void classWithoutEvalIsRejected() {
    assertThatThrownBy(() -> FunctionClasses.evalMethods("f", name(TestFunctions.NoEval.class)))
        .hasMessageContaining("has no public method named 'eval'");
  }

  @Test
  void unsupportedParameterTypeIsNamed() {
    assertThatThrownBy(() -> FunctionClasses.evalMethods("f", name(TestFunctions.ListEval.class)))
        .hasMessageContaining("TestFunctions$ListEval.eval(java.util.List) has parameter type java.util.List,"
            + " which SQL cannot pass; supported types: long, Long");
  }

  @Test
  void instanceEvalNeedsANoArgumentConstructor() {
    assertThatThrownBy(() -> FunctionClasses.evalMethods("f", name(TestFunctions.NeedsArgument.class)))
        .hasMessageContaining("has instance eval methods but no public no-argument constructor");
  }

  @Test
  void boundFunctionsAreSharedPerSignature() {
    BoundFunction a = BoundFunction.bind("b", name(TestFunctions.Bucket.class), List.of("long", "long"));
    BoundFunction b = BoundFunction.bind("other", name(TestFunctions.Bucket.class), List.of("long", "long"));
    assertThat(a).isSameAs(b);
    assertThat(a.primitive(0)).isTrue();
    assertThat(a.invoke("b", new Object[] {-7L, 5L})).isEqualTo(-2L);
  }

  @Test
  void bindingAMissingOverloadNamesIt() {
    assertThatThrownBy(() -> BoundFunction.bind("b", name(TestFunctions.Bucket.class), List.of("long")))
        .hasMessageStartingWith("Function b: class " + name(TestFunctions.Bucket.class)
            + " has no public method eval(long)");
  }
}

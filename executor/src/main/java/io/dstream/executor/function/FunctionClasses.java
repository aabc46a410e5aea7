package io.dstream.executor.function;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.type.DataType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Loads function classes by name from the classpath and lists their {@code eval} methods.
 * Stateless and thread-safe.
 */
public final class FunctionClasses {
  static final String METHOD = "eval";

  private FunctionClasses() {}

  /**
   * The {@code eval} methods of class {@code className}, which implements SQL function
   * {@code function}, sorted by parameter count, then types.
   *
   * @throws EngineException a user error when the class is missing, not public, has no public
   *     eval method, an eval method with a type the engine cannot map, or an instance eval method
   *     without a public no-argument constructor
   */
  public static List<EvalMethod> evalMethods(String function, String className) {
    Class<?> type = load(function, className);
    List<EvalMethod> out = new ArrayList<>();
    boolean needsInstance = false;
    for (Method m : evalMethodsOf(type)) {
      needsInstance |= !Modifier.isStatic(m.getModifiers());
      out.add(describe(function, className, m));
    }
    if (out.isEmpty()) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR, "Function " + function + ": class " + className
          + " has no public method named 'eval'; a scalar function class needs one or more public eval methods");
    }
    if (needsInstance) {
      noArgConstructor(function, type);
    }
    out.sort(Comparator.comparingInt((EvalMethod e) -> e.parameterTypes().size())
        .thenComparing(e -> String.join(",", e.parameterTypes())));
    return out;
  }

  static Class<?> load(String function, String className) {
    Class<?> type;
    try {
      type = Class.forName(className, true, loader());
    } catch (ClassNotFoundException | NoClassDefFoundError e) {
      throw new EngineException(ErrorCode.NOT_FOUND, "Function " + function + ": class " + className
          + " is not on the classpath" + (e instanceof NoClassDefFoundError ? " (" + e.getMessage() + ")" : "")
          + "; add its jar to the server's and every worker's classpath (DSTREAM_CLASSPATH)", e);
    } catch (LinkageError e) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR, "Function " + function + ": class " + className
          + " cannot be loaded: " + e, e);
    }
    if (!Modifier.isPublic(type.getModifiers())) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR, "Function " + function + ": class " + className
          + " must be public");
    }
    return type;
  }

  static List<Method> evalMethodsOf(Class<?> type) {
    List<Method> out = new ArrayList<>();
    for (Method m : type.getMethods()) {
      if (m.getName().equals(METHOD) && !m.isBridge() && !m.isSynthetic()
          && m.getDeclaringClass() != Object.class) {
        out.add(m);
      }
    }
    return out;
  }

  static Constructor<?> noArgConstructor(String function, Class<?> type) {
    if (Modifier.isAbstract(type.getModifiers())) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR, "Function " + function + ": class " + type.getName()
          + " is abstract; make its eval methods static or the class concrete");
    }
    try {
      return type.getConstructor();
    } catch (NoSuchMethodException e) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR, "Function " + function + ": class " + type.getName()
          + " has instance eval methods but no public no-argument constructor; add one or make eval static", e);
    }
  }

  private static EvalMethod describe(String function, String className, Method m) {
    List<String> names = new ArrayList<>();
    List<DataType> sqlTypes = new ArrayList<>();
    for (Class<?> p : m.getParameterTypes()) {
      sqlTypes.add(JavaTypes.sqlType(p).orElseThrow(() -> unsupported(function, m, "parameter type", p)));
      names.add(p.getName());
    }
    DataType result = JavaTypes.sqlType(m.getReturnType())
        .orElseThrow(() -> unsupported(function, m, "return type", m.getReturnType()))
        .withNullable(true);
    return new EvalMethod(className, names, sqlTypes, m.getReturnType().getName(), result);
  }

  private static EngineException unsupported(String function, Method m, String what, Class<?> type) {
    return new EngineException(ErrorCode.VALIDATION_ERROR, "Function " + function + ": " + javaSignature(m)
        + " has " + what + " " + JavaTypes.display(type) + ", which SQL cannot pass; supported types: "
        + String.join(", ", JavaTypes.SUPPORTED));
  }

  static String javaSignature(Method m) {
    return m.getDeclaringClass().getName() + "." + m.getName() + "("
        + String.join(", ", Arrays.stream(m.getParameterTypes()).map(JavaTypes::display).toList()) + ")";
  }

  /** The context class loader when there is one (an application server's), else the engine's. */
  static ClassLoader loader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : FunctionClasses.class.getClassLoader();
  }
}

package io.dstream.executor.function;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.type.DataType;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@code eval} method bound to a method handle, with an instance of its class for an
 * instance method, ready to be called row after row. Resolved once per JVM and signature (see
 * {@link #bind}) and shared: an instance eval method may be called from several task threads at
 * once, so it must not keep per-call state in fields.
 */
public final class BoundFunction {
  private static final ConcurrentHashMap<Key, BoundFunction> BOUND = new ConcurrentHashMap<>();

  private final String description;
  /** The method as {@code (Object[]) Object}: arguments spread, results boxed. */
  private final MethodHandle invoker;
  private final Class<?>[] parameters;
  private final ValueConverter result;

  private record Key(String className, List<String> parameterTypes) {}

  private BoundFunction(Method method, Object instance) throws IllegalAccessException {
    this.description = FunctionClasses.javaSignature(method);
    MethodHandle handle = MethodHandles.publicLookup().unreflect(method);
    if (instance != null) {
      handle = handle.bindTo(instance);
    }
    int n = method.getParameterCount();
    this.invoker = handle.asSpreader(Object[].class, n)
        .asType(MethodType.methodType(Object.class, Object[].class));
    this.parameters = method.getParameterTypes();
    this.result = JavaTypes.toEngine(method.getReturnType());
  }

  /**
   * The eval method of {@code className} with parameter types {@code parameterTypes}, bound;
   * the first call per JVM loads the class, finds the method and creates the instance.
   *
   * @throws EngineException naming function {@code function} when the class or method is
   *     missing on this process's classpath or the instance cannot be created
   */
  public static BoundFunction bind(String function, String className, List<String> parameterTypes) {
    Key key = new Key(className, List.copyOf(parameterTypes));
    BoundFunction bound = BOUND.get(key);
    if (bound == null) {
      bound = create(function, key);
      BoundFunction raced = BOUND.putIfAbsent(key, bound);
      if (raced != null) {
        bound = raced;
      }
    }
    return bound;
  }

  private static BoundFunction create(String function, Key key) {
    Class<?> type = FunctionClasses.load(function, key.className());
    Class<?>[] parameters = new Class<?>[key.parameterTypes().size()];
    Method method;
    try {
      for (int i = 0; i < parameters.length; i++) {
        parameters[i] = JavaTypes.forName(key.parameterTypes().get(i));
      }
      method = type.getMethod(FunctionClasses.METHOD, parameters);
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      throw new EngineException(ErrorCode.NOT_FOUND, "Function " + function + ": class " + key.className()
          + " has no public method eval(" + String.join(", ", key.parameterTypes())
          + "); was the class changed since CREATE FUNCTION?", e);
    }
    Object instance = null;
    try {
      if (!Modifier.isStatic(method.getModifiers())) {
        instance = FunctionClasses.noArgConstructor(function, type).newInstance();
      }
      return new BoundFunction(method, instance);
    } catch (ReflectiveOperationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new EngineException(ErrorCode.FUNCTION_ERROR, "Function " + function + ": cannot create an instance of "
          + key.className() + ": " + cause, cause);
    }
  }

  /** Whether parameter {@code i} is primitive: a NULL argument there makes the result NULL without a call. */
  public boolean primitive(int i) {
    return parameters[i].isPrimitive();
  }

  /**
   * Calls the method with {@code arguments} (Java values, as {@link #argumentConverter} makes
   * them) and returns the engine's physical value of the result, or null.
   *
   * @throws EngineException naming function {@code function} when the method throws
   */
  public Object invoke(String function, Object[] arguments) {
    Object value;
    try {
      value = invoker.invokeExact(arguments);
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError error && !(t instanceof StackOverflowError)) {
        throw error;
      }
      throw new EngineException(ErrorCode.FUNCTION_ERROR, "Function " + function + " failed: " + description
          + " threw " + t, t);
    }
    return value == null ? null : result.convert(value);
  }

  /** Converts engine values of SQL type {@code argument} (never null) to what parameter {@code i} takes. */
  public ValueConverter argumentConverter(int i, DataType argument) {
    return JavaTypes.toJava(parameters[i], argument);
  }
}

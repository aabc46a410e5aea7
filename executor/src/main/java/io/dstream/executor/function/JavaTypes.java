package io.dstream.executor.function;

import io.dstream.executor.type.DataType;
import io.dstream.executor.type.DataType.Kind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * The Java types an {@code eval} method may take and return, their SQL types, and conversion
 * between a Java value and the engine's physical value (Long, Double, Boolean or String).
 *
 * <p>TIMESTAMP values are milliseconds since the epoch without time zone; they map to {@link
 * LocalDateTime} at UTC and to {@link Timestamp} with the same milliseconds. A BigDecimal result
 * is a DECIMAL({@value #DECIMAL_PRECISION}, {@value #DECIMAL_SCALE}), rounded half up.
 */
public final class JavaTypes {
  static final int DECIMAL_PRECISION = 18;
  static final int DECIMAL_SCALE = 6;

  /** The supported types, for error messages. */
  static final List<String> SUPPORTED = List.of("long", "Long", "int", "Integer", "double", "Double",
      "boolean", "Boolean", "String", "java.math.BigDecimal", "java.sql.Timestamp",
      "java.time.LocalDateTime");

  private JavaTypes() {}

  /** The SQL type of Java type {@code type}, nullable unless it is primitive; empty if unsupported. */
  public static Optional<DataType> sqlType(Class<?> type) {
    DataType t;
    if (type == long.class || type == Long.class) {
      t = DataType.of(Kind.BIGINT);
    } else if (type == int.class || type == Integer.class) {
      t = DataType.of(Kind.INTEGER);
    } else if (type == double.class || type == Double.class) {
      t = DataType.of(Kind.DOUBLE);
    } else if (type == boolean.class || type == Boolean.class) {
      t = DataType.of(Kind.BOOLEAN);
    } else if (type == String.class) {
      t = DataType.of(Kind.VARCHAR);
    } else if (type == BigDecimal.class) {
      t = DataType.decimal(DECIMAL_PRECISION, DECIMAL_SCALE);
    } else if (type == Timestamp.class || type == LocalDateTime.class) {
      t = DataType.of(Kind.TIMESTAMP);
    } else {
      return Optional.empty();
    }
    return Optional.of(t.withNullable(!type.isPrimitive()));
  }

  /**
   * Whether a value of SQL type {@code argument} can be passed to a parameter of Java type
   * {@code parameter} as it is; otherwise the planner casts it to the parameter's SQL type first.
   */
  public static boolean accepts(Class<?> parameter, DataType argument) {
    Kind k = argument.kind();
    boolean integral = k == Kind.TINYINT || k == Kind.SMALLINT || k == Kind.INTEGER || k == Kind.BIGINT;
    if (parameter == long.class || parameter == Long.class) {
      return integral;
    }
    if (parameter == int.class || parameter == Integer.class) {
      return k == Kind.TINYINT || k == Kind.SMALLINT || k == Kind.INTEGER;
    }
    if (parameter == double.class || parameter == Double.class) {
      return k == Kind.DOUBLE || k == Kind.REAL;
    }
    if (parameter == boolean.class || parameter == Boolean.class) {
      return k == Kind.BOOLEAN;
    }
    if (parameter == String.class) {
      return k == Kind.VARCHAR || k == Kind.CHAR;
    }
    if (parameter == BigDecimal.class) {
      return integral || k == Kind.DECIMAL;
    }
    if (parameter == Timestamp.class || parameter == LocalDateTime.class) {
      return k == Kind.TIMESTAMP;
    }
    return false;
  }

  /** The Java spelling of a type in signatures: simple names for java.lang, else the full name. */
  static String display(Class<?> type) {
    return type.isPrimitive() || type.getPackageName().equals("java.lang") ? type.getSimpleName() : type.getName();
  }

  /** Loads a parameter type by the name {@link Class#getName()} gives it. */
  static Class<?> forName(String name) throws ClassNotFoundException {
    return switch (name) {
      case "long" -> long.class;
      case "int" -> int.class;
      case "double" -> double.class;
      case "boolean" -> boolean.class;
      default -> Class.forName(name, false, JavaTypes.class.getClassLoader());
    };
  }

  /**
   * A converter from the engine's physical value of SQL type {@code argument} (never null) to
   * the Java value parameter type {@code parameter} takes.
   */
  static ValueConverter toJava(Class<?> parameter, DataType argument) {
    if (parameter == int.class || parameter == Integer.class) {
      return v -> (int) (long) (Long) v;
    }
    if (parameter == BigDecimal.class) {
      int scale = argument.kind() == Kind.DECIMAL ? argument.scale() : 0;
      return v -> BigDecimal.valueOf((Long) v, scale);
    }
    if (parameter == Timestamp.class) {
      return v -> new Timestamp((Long) v);
    }
    if (parameter == LocalDateTime.class) {
      return v -> {
        long millis = (Long) v;
        return LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000), (int) Math.floorMod(millis, 1000) * 1_000_000,
            ZoneOffset.UTC);
      };
    }
    // long, double, boolean and String values already are what the method takes.
    return ValueConverter.IDENTITY;
  }

  /** A converter from what a method of return type {@code type} returns (never null) to the physical value. */
  static ValueConverter toEngine(Class<?> type) {
    if (type == int.class || type == Integer.class) {
      return v -> (long) (Integer) v;
    }
    if (type == BigDecimal.class) {
      return v -> ((BigDecimal) v).setScale(DECIMAL_SCALE, RoundingMode.HALF_UP).unscaledValue().longValueExact();
    }
    if (type == Timestamp.class) {
      return v -> ((Timestamp) v).getTime();
    }
    if (type == LocalDateTime.class) {
      return v -> ((LocalDateTime) v).toInstant(ZoneOffset.UTC).toEpochMilli();
    }
    return ValueConverter.IDENTITY;
  }
}

package io.dstream.executor.type;

import java.util.Objects;

/**
 * A SQL type as the executor sees it: the logical kind (for metadata and formatting) and the
 * physical storage class its values use in Arrow vectors.
 */
public record DataType(Kind kind, int precision, int scale, boolean nullable) {

  /** Logical SQL kinds known to the engine. */
  public enum Kind {
    BOOLEAN(Physical.BOOLEAN, java.sql.Types.BOOLEAN),
    TINYINT(Physical.LONG, java.sql.Types.TINYINT),
    SMALLINT(Physical.LONG, java.sql.Types.SMALLINT),
    INTEGER(Physical.LONG, java.sql.Types.INTEGER),
    BIGINT(Physical.LONG, java.sql.Types.BIGINT),
    /** Fixed point, stored as an unscaled long with {@link DataType#scale()} decimal digits. */
    DECIMAL(Physical.LONG, java.sql.Types.DECIMAL),
    REAL(Physical.DOUBLE, java.sql.Types.REAL),
    DOUBLE(Physical.DOUBLE, java.sql.Types.DOUBLE),
    VARCHAR(Physical.STRING, java.sql.Types.VARCHAR),
    CHAR(Physical.STRING, java.sql.Types.CHAR),
    /** Milliseconds since the epoch, UTC, without time zone. */
    TIMESTAMP(Physical.LONG, java.sql.Types.TIMESTAMP),
    /** Days since the epoch. */
    DATE(Physical.LONG, java.sql.Types.DATE),
    /** Milliseconds of the day. */
    TIME(Physical.LONG, java.sql.Types.TIME),
    /** A day-time interval in milliseconds. */
    INTERVAL_DAY_TIME(Physical.LONG, java.sql.Types.OTHER),
    /** A year-month interval in months. */
    INTERVAL_YEAR_MONTH(Physical.LONG, java.sql.Types.OTHER);

    private final Physical physical;
    private final int jdbcType;

    Kind(Physical physical, int jdbcType) {
      this.physical = physical;
      this.jdbcType = jdbcType;
    }

    public Physical physical() {
      return physical;
    }

    public int jdbcType() {
      return jdbcType;
    }
  }

  /** How values are stored: LONG in BigIntVector, DOUBLE in Float8Vector, and so on. */
  public enum Physical { BOOLEAN, LONG, DOUBLE, STRING }

  public DataType {
    Objects.requireNonNull(kind, "kind is null");
  }

  public static DataType of(Kind kind) {
    return new DataType(kind, defaultPrecision(kind), 0, true);
  }

  public static DataType decimal(int precision, int scale) {
    return new DataType(Kind.DECIMAL, precision, scale, true);
  }

  public DataType withNullable(boolean value) {
    return new DataType(kind, precision, scale, value);
  }

  public Physical physical() {
    return kind.physical();
  }

  public boolean isNumeric() {
    return switch (kind) {
      case TINYINT, SMALLINT, INTEGER, BIGINT, DECIMAL, REAL, DOUBLE -> true;
      default -> false;
    };
  }

  /** The SQL spelling, as DESCRIBE and metadata show it. */
  public String sqlName() {
    return switch (kind) {
      case DECIMAL -> "DECIMAL(" + precision + ", " + scale + ")";
      case VARCHAR -> precision > 0 && precision < Integer.MAX_VALUE ? "VARCHAR(" + precision + ")" : "VARCHAR";
      case CHAR -> "CHAR(" + precision + ")";
      case TIMESTAMP -> "TIMESTAMP(" + precision + ")";
      case INTERVAL_DAY_TIME -> "INTERVAL DAY TO SECOND";
      case INTERVAL_YEAR_MONTH -> "INTERVAL YEAR TO MONTH";
      default -> kind.name();
    };
  }

  private static int defaultPrecision(Kind kind) {
    return switch (kind) {
      case TINYINT -> 3;
      case SMALLINT -> 5;
      case INTEGER -> 10;
      case BIGINT -> 19;
      case DECIMAL -> 19;
      case REAL -> 7;
      case DOUBLE -> 15;
      case TIMESTAMP -> 3;
      case VARCHAR -> Integer.MAX_VALUE;
      case CHAR -> 1;
      default -> 0;
    };
  }

  @Override
  public String toString() {
    return sqlName() + (nullable ? "" : " NOT NULL");
  }
}

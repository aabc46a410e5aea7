package io.dstream.planner.catalog;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.type.RowType;
import java.util.Map;

/**
 * A stream or table in the catalog: its columns, event-time column (-1 for none) with the
 * watermark delay, its connector options, and for a derived stream the query that feeds it.
 */
public record StreamDefinition(String name, Kind kind, RowType rowType, int timeColumn,
    long watermarkDelayMillis, Map<String, String> options, String query) {

  /** Streams are unbounded inputs; tables are loaded once. */
  public enum Kind { STREAM, TABLE }

  public StreamDefinition {
    requireNonNull(name, "name is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(rowType, "rowType is null");
    options = Map.copyOf(options);
  }

  public String connector() {
    return options.getOrDefault("connector", "");
  }

  public boolean hasWatermark() {
    return timeColumn >= 0;
  }

  /**
   * The option 'allowed.lateness' in milliseconds (0 when absent): how long after the watermark
   * passes a window's end rows may still update it. Written as a number of milliseconds or with
   * a unit: '500ms', '10s', '2m', '1h'.
   *
   * @throws EngineException VALIDATION_ERROR for a malformed or negative value
   */
  public long allowedLatenessMillis() {
    String text = options.get(ALLOWED_LATENESS);
    return text == null ? 0 : durationMillis(ALLOWED_LATENESS, text);
  }

  /** Option key of the allowed lateness of a stream's windows. */
  public static final String ALLOWED_LATENESS = "allowed.lateness";

  /** Parses a duration such as '250', '250ms', '10s', '2m' or '1h' into milliseconds. */
  public static long durationMillis(String option, String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT).replace(" ", "");
    long unit = 1;
    String number = t;
    if (t.endsWith("ms")) {
      number = t.substring(0, t.length() - 2);
    } else if (t.endsWith("s")) {
      unit = 1000;
      number = t.substring(0, t.length() - 1);
    } else if (t.endsWith("m")) {
      unit = 60_000;
      number = t.substring(0, t.length() - 1);
    } else if (t.endsWith("h")) {
      unit = 3_600_000;
      number = t.substring(0, t.length() - 1);
    }
    try {
      long value = Long.parseLong(number);
      if (value < 0) {
        throw new NumberFormatException("negative");
      }
      return Math.multiplyExact(value, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new io.dstream.executor.error.EngineException(io.dstream.executor.error.ErrorCode.VALIDATION_ERROR,
          "Option '" + option + "' must be a duration such as '10s', '500ms', '2m' or '1h'; was '" + text + "'");
    }
  }
}

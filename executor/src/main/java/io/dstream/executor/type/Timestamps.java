package io.dstream.executor.type;

import java.nio.charset.StandardCharsets;

/**
 * Parses and formats TIMESTAMP (epoch millis, UTC), DATE (epoch days) and TIME (millis of day)
 * values in their SQL text form, without java.time, straight from bytes where the data path
 * needs it. Stateless and thread-safe.
 */
public final class Timestamps {
  public static final long MILLIS_PER_DAY = 86_400_000L;

  private static final int[] DAYS_IN_MONTH = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

  private Timestamps() {}

  /**
   * Parses {@code YYYY-MM-DD HH:MM:SS[.fff]} (a 'T' may replace the space; up to 9 fraction
   * digits, truncated to millis; a bare {@code YYYY-MM-DD} means midnight) as UTC epoch millis.
   *
   * @throws IllegalArgumentException naming the text when it is not a valid timestamp
   */
  public static long parseMillis(byte[] buf, int start, int end) {
    int length = end - start;
    if (length == 10) {
      return parseDate(buf, start, end) * MILLIS_PER_DAY;
    }
    if (length < 19 || (buf[start + 10] != ' ' && buf[start + 10] != 'T')) {
      throw invalid("timestamp", buf, start, end);
    }
    long days = parseDateOrFail(buf, start, "timestamp", start, end);
    long millisOfDay = parseTimeOrFail(buf, start + 11, end, "timestamp", start);
    return days * MILLIS_PER_DAY + millisOfDay;
  }

  /** Parses a timestamp as {@link #parseMillis(byte[], int, int)} does. */
  public static long parseMillis(CharSequence text) {
    byte[] bytes = ascii(text, "timestamp");
    return parseMillis(bytes, 0, bytes.length);
  }

  /** Parses {@code YYYY-MM-DD} as days since 1970-01-01. */
  public static long parseDate(byte[] buf, int start, int end) {
    if (end - start != 10) {
      throw invalid("date", buf, start, end);
    }
    return parseDateOrFail(buf, start, "date", start, end);
  }

  public static long parseDate(CharSequence text) {
    byte[] bytes = ascii(text, "date");
    return parseDate(bytes, 0, bytes.length);
  }

  /** Parses {@code HH:MM:SS[.fff]} as millis of the day. */
  public static long parseTime(byte[] buf, int start, int end) {
    return parseTimeOrFail(buf, start, end, "time", start);
  }

  public static long parseTime(CharSequence text) {
    byte[] bytes = ascii(text, "time");
    return parseTime(bytes, 0, bytes.length);
  }

  /** Formats epoch millis as {@code YYYY-MM-DD HH:MM:SS.mmm}. */
  public static String format(long millis) {
    StringBuilder out = new StringBuilder(23);
    appendTimestamp(out, millis);
    return out.toString();
  }

  public static String formatDate(long epochDays) {
    StringBuilder out = new StringBuilder(10);
    appendDate(out, epochDays);
    return out.toString();
  }

  public static String formatTime(long millisOfDay) {
    StringBuilder out = new StringBuilder(12);
    appendTime(out, millisOfDay);
    return out.toString();
  }

  public static void appendTimestamp(StringBuilder out, long millis) {
    appendDate(out, Math.floorDiv(millis, MILLIS_PER_DAY));
    out.append(' ');
    appendTime(out, Math.floorMod(millis, MILLIS_PER_DAY));
  }

  public static void appendDate(StringBuilder out, long epochDays) {
    long z = epochDays + 719_468;
    long era = (z >= 0 ? z : z - 146_096) / 146_097;
    long dayOfEra = z - era * 146_097;
    long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long mp = (5 * dayOfYear + 2) / 153;
    int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    if (year >= 0 && year <= 9999) {
      pad(out, (int) year, 4);
    } else if (year < 0 && year >= -9999) {
      out.append('-');
      pad(out, (int) -year, 4);
    } else {
      out.append(year);
    }
    out.append('-');
    pad(out, month, 2);
    out.append('-');
    pad(out, day, 2);
  }

  /** Appends {@code HH:MM:SS.mmm}; values outside one day are taken modulo a day. */
  public static void appendTime(StringBuilder out, long millisOfDay) {
    int ms = (int) Math.floorMod(millisOfDay, MILLIS_PER_DAY);
    pad(out, ms / 3_600_000, 2);
    out.append(':');
    pad(out, ms / 60_000 % 60, 2);
    out.append(':');
    pad(out, ms / 1000 % 60, 2);
    out.append('.');
    pad(out, ms % 1000, 3);
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). */
  public static long daysFromCivil(long year, int month, int day) {
    long y = month <= 2 ? year - 1 : year;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yearOfEra = y - era * 400;
    long dayOfYear = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097 + dayOfEra - 719_468;
  }

  public static boolean isLeapYear(long year) {
    return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
  }

  private static long parseDateOrFail(byte[] b, int p, String what, int start, int end) {
    int year = digits(b, p, 4);
    int month = digits(b, p + 5, 2);
    int day = digits(b, p + 8, 2);
    if ((year | month | day) < 0 || b[p + 4] != '-' || b[p + 7] != '-'
        || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
      throw invalid(what, b, start, end);
    }
    return daysFromCivil(year, month, day);
  }

  /** Parses {@code HH:MM:SS[.f{0,9}]} in {@code [p, end)}; {@code start} is for the message. */
  private static long parseTimeOrFail(byte[] b, int p, int end, String what, int start) {
    if (end - p < 8) {
      throw invalid(what, b, start, end);
    }
    int hour = digits(b, p, 2);
    int minute = digits(b, p + 3, 2);
    int second = digits(b, p + 6, 2);
    if ((hour | minute | second) < 0 || b[p + 2] != ':' || b[p + 5] != ':'
        || hour > 23 || minute > 59 || second > 59) {
      throw invalid(what, b, start, end);
    }
    int millis = 0;
    int q = p + 8;
    if (q < end) {
      int fractionDigits = end - q - 1;
      if (b[q] != '.' || fractionDigits > 9) {
        throw invalid(what, b, start, end);
      }
      for (int i = 0; i < fractionDigits; i++) {
        int d = b[q + 1 + i] - '0';
        if (d < 0 || d > 9) {
          throw invalid(what, b, start, end);
        }
        if (i < 3) {
          millis = millis * 10 + d;
        }
      }
      for (int i = fractionDigits; i < 3; i++) {
        millis *= 10;
      }
    }
    return hour * 3_600_000L + minute * 60_000L + second * 1000L + millis;
  }

  /** The value of {@code count} decimal digits at {@code p}, or -1 if any is not a digit. */
  private static int digits(byte[] b, int p, int count) {
    int value = 0;
    for (int i = 0; i < count; i++) {
      int d = b[p + i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      value = value * 10 + d;
    }
    return value;
  }

  private static int daysInMonth(int year, int month) {
    return month == 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  }

  private static void pad(StringBuilder out, int value, int width) {
    int digits = value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : value < 10000 ? 4 : 10;
    for (int i = digits; i < width; i++) {
      out.append('0');
    }
    out.append(value);
  }

  private static byte[] ascii(CharSequence text, String what) {
    byte[] bytes = new byte[text.length()];
    for (int i = 0; i < bytes.length; i++) {
      char c = text.charAt(i);
      if (c > 127) {
        throw new IllegalArgumentException("Invalid " + what + " '" + text + "'");
      }
      bytes[i] = (byte) c;
    }
    return bytes;
  }

  private static IllegalArgumentException invalid(String what, byte[] b, int start, int end) {
    String text = new String(b, start, Math.min(end - start, 100), StandardCharsets.UTF_8);
    String expected = switch (what) {
      case "date" -> "YYYY-MM-DD";
      case "time" -> "HH:MM:SS[.fff]";
      default -> "YYYY-MM-DD HH:MM:SS[.fff]";
    };
    return new IllegalArgumentException("Invalid " + what + " '" + text + "', expected " + expected);
  }
}

package io.dstream.jdbcserver.cli;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Reads a subcommand's arguments one option at a time. Options take their value either as the
 * next argument ({@code --port 8765}) or after an equals sign ({@code --port=8765}).
 */
final class ArgReader {
  private final String command;
  private final List<String> args;
  private int position;
  private String pendingValue;

  ArgReader(String command, List<String> args) {
    this.command = requireNonNull(command, "command is null");
    this.args = List.copyOf(args);
  }

  boolean hasNext() {
    return position < args.size();
  }

  /** The next option name, such as {@code --port}; its value, if any, is read with {@link #value}. */
  String next() {
    String arg = args.get(position++);
    pendingValue = null;
    int equals = arg.indexOf('=');
    if (arg.startsWith("--") && equals > 0) {
      pendingValue = arg.substring(equals + 1);
      return arg.substring(0, equals);
    }
    return arg;
  }

  /** The whole argument just read by {@link #next}, as given. */
  String raw() {
    return args.get(position - 1);
  }

  String value(String option) throws UsageException {
    if (pendingValue != null) {
      String value = pendingValue;
      pendingValue = null;
      return value;
    }
    if (position >= args.size()) {
      throw new UsageException(command + ": option " + option + " needs a value");
    }
    return args.get(position++);
  }

  int intValue(String option, int min, int max) throws UsageException {
    String value = value(option);
    try {
      int result = Integer.parseInt(value);
      if (result < min || result > max) {
        throw new UsageException(
            command + ": " + option + " must be between " + min + " and " + max + ", was " + value);
      }
      return result;
    } catch (NumberFormatException e) {
      throw new UsageException(command + ": " + option + " needs a whole number, was '" + value + "'");
    }
  }

  /** A duration such as {@code 500ms}, {@code 1s}, {@code 1.5s} or {@code 2m}, in milliseconds. */
  long durationMillis(String option) throws UsageException {
    String value = value(option).trim();
    try {
      if (value.endsWith("ms")) {
        return Long.parseLong(value.substring(0, value.length() - 2).trim());
      }
      if (value.endsWith("s")) {
        return Math.round(Double.parseDouble(value.substring(0, value.length() - 1).trim()) * 1000);
      }
      if (value.endsWith("m")) {
        return Math.round(Double.parseDouble(value.substring(0, value.length() - 1).trim()) * 60_000);
      }
    } catch (NumberFormatException e) {
      // fall through to the usage error
    }
    throw new UsageException(
        command + ": " + option + " needs a duration such as 500ms, 1s or 2s, was '" + value + "'");
  }

  UsageException unknown(String option) {
    if (option.startsWith("-")) {
      return new UsageException(command + ": unknown option " + option);
    }
    return new UsageException(command + ": unexpected argument '" + option + "'");
  }
}

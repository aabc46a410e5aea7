package io.dstream.jdbcserver.cli;

/** A command line the user must fix; reported with exit code {@value Main#EXIT_USAGE}. */
final class UsageException extends Exception {
  UsageException(String message) {
    super(message);
  }
}

package io.dstream.jdbcserver.cli;

import io.dstream.jdbcserver.meta.JdbcServer;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code dstream} command: {@code demo}, {@code server}, {@code sql} and {@code worker}. Exit codes: 0 on
 * success, 1 when the command fails, 2 when the command line is wrong; {@code sql} exits with
 * sqlline's status.
 */
public final class Main {
  static final int EXIT_OK = 0;
  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;

  static final String USAGE =
      """
      Usage: dstream <command> [options]

      Commands:
        demo     Run a live Nexmark query in an embedded engine, with a JDBC server alongside
        server   Start an engine and serve it over JDBC (Avatica, protobuf)
        sql      Open a SQL shell (sqlline) on a running server
        worker   Run a worker process that joins a cluster-mode server

      Run 'dstream <command> --help' for the options of a command.
      """;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args), System.out, System.err));
  }

  /** Runs one command line and returns its exit code; blocks for as long as the command runs. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty()) {
      out.print(USAGE);
      return EXIT_USAGE;
    }
    String command = args.get(0);
    List<String> rest = args.subList(1, args.size());
    try {
      return switch (command) {
        case "demo" -> new DemoCommand(out, err).run(rest);
        case "server" -> new ServerCommand(out, err).run(rest);
        case "sql" -> new SqlCommand(out, err).run(rest);
        case "worker" -> new WorkerCommand(out, err).run(rest);
        case "-h", "--help", "help" -> {
          out.print(USAGE);
          yield EXIT_OK;
        }
        default -> {
          err.println("dstream: unknown command '" + command + "'");
          err.print(USAGE);
          yield EXIT_USAGE;
        }
      };
    } catch (UsageException e) {
      err.println("dstream " + e.getMessage());
      err.println("Run 'dstream " + command + " --help' for usage.");
      return EXIT_USAGE;
    }
  }

  /**
   * Runs the demo for {@code seconds} (0 or less: until interrupted) with its JDBC server on the
   * default port, printing to standard output; returns the exit code.
   */
  public static int runDemo(int seconds) {
    return new DemoCommand(System.out, System.err)
        .runDemo(seconds, JdbcServer.DEFAULT_PORT, DemoCommand.DEFAULT_WEB_PORT);
  }
}

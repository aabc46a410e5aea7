package io.dstream.jdbcserver.cli;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.error.EngineException;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import io.dstream.jdbcserver.engine.SqlEngine;
import io.dstream.jdbcserver.engine.StatementResult;
import io.dstream.jdbcserver.engine.StatementResult.Polled;
import io.dstream.jdbcserver.engine.StatementResult.PushStream;
import io.dstream.jdbcserver.meta.JdbcServer;
import io.dstream.jdbcserver.web.WebServer;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code dstream demo}: a Nexmark bid stream in an embedded engine, a windowed push query over
 * it printed live, and a JDBC server on the same engine so that {@code dstream sql} can join.
 */
final class DemoCommand {
  static final String CREATE_BIDS =
      "CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, "
          + "date_time TIMESTAMP(3), extra VARCHAR, "
          + "WATERMARK FOR date_time AS date_time - INTERVAL '1' SECOND) "
          + "WITH (connector='nexmark', 'event.rate'='1000', 'max.rate'='5000')";
  static final String QUERY =
      "SELECT STREAM TUMBLE_END(date_time, INTERVAL '2' SECOND) AS window_end, COUNT(*) AS bids, "
          + "MAX(price) AS max_price, SUM(CASE WHEN channel = 'Google' THEN 1 ELSE 0 END) AS google "
          + "FROM bids GROUP BY TUMBLE(date_time, INTERVAL '2' SECOND)";

  static final String USAGE =
      """
      Usage: dstream demo [options]

      Runs a Nexmark bid stream (1000 events/s) in an embedded engine and prints the number of
      bids, the highest price and the Google-channel bids per 2-second window as windows close.
      Meanwhile a JDBC server runs on the same engine; connect with 'dstream sql'.

      Options:
        --seconds <n>   Stop after n seconds (default: run until Ctrl-C)
        --port <port>   Port of the JDBC server (default 8765)
        --web-port <port>
                        Port of the status page with the query's plots, /api/queries and
                        /metrics on 127.0.0.1 (default 8080; skipped when busy; 'off' for none)
        -h, --help      Show this help
      """;

  /** The demo's status page port, when free. */
  static final int DEFAULT_WEB_PORT = 8080;

  private static final long POLL_MILLIS = 250;

  private final PrintStream out;
  private final PrintStream err;

  DemoCommand(PrintStream out, PrintStream err) {
    this.out = requireNonNull(out, "out is null");
    this.err = requireNonNull(err, "err is null");
  }

  int run(List<String> args) throws UsageException {
    ArgReader reader = new ArgReader("demo", args);
    int seconds = 0;
    int port = JdbcServer.DEFAULT_PORT;
    int webPort = DEFAULT_WEB_PORT;
    while (reader.hasNext()) {
      String option = reader.next();
      switch (option) {
        case "--seconds" -> seconds = reader.intValue(option, 1, Integer.MAX_VALUE);
        case "--port" -> port = reader.intValue(option, 0, 65535);
        case "--web-port" -> webPort = webPort(reader.value(option));
        case "-h", "--help" -> {
          out.print(USAGE);
          return Main.EXIT_OK;
        }
        default -> throw reader.unknown(option);
      }
    }
    return runDemo(seconds, port, webPort);
  }

  /**
   * Runs the demo for {@code seconds} (0 or less: until interrupted), with the web page on
   * {@code webPort} (negative: none); returns the exit code.
   */
  int runDemo(int seconds, int port, int webPort) {
    AtomicBoolean stopping = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    // On Ctrl-C, let the main thread stop the query and close the engine before the JVM exits.
    Thread hook =
        new Thread(
            () -> {
              stopping.set(true);
              try {
                finished.await(5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "dstream-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return runEngine(seconds, port, webPort, stopping);
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: it waits for the countDown above.
      }
    }
  }

  private int runEngine(int seconds, int port, int webPort, AtomicBoolean stopping) {
    EngineConfig config = EngineConfig.defaults().withWorkers(2).withBatchIntervalMillis(1000);
    try (Engine engine = new Engine(config);
        JdbcServer server = startServer(engine, port);
        WebServer web = startWeb(engine, webPort)) {
      out.println("DStream SQL demo: Nexmark bids at 1000 events/s, 2-second tumbling windows.");
      out.println(CREATE_BIDS + ";");
      engine.execute(CREATE_BIDS);
      out.println(QUERY + ";");
      out.println(seconds > 0 ? "Running for " + seconds + " s." : "Press Ctrl-C to stop.");
      out.println();
      out.flush();
      StatementResult result = engine.execute(QUERY);
      if (!(result instanceof PushStream stream)) {
        err.println("dstream demo: the query did not start a stream");
        return Main.EXIT_FAILURE;
      }
      try (stream) {
        stream(stream, seconds, stopping);
      }
      return Main.EXIT_OK;
    } catch (EngineException e) {
      err.println("dstream demo: " + e.getMessage());
      return Main.EXIT_FAILURE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Main.EXIT_OK;
    }
  }

  private JdbcServer startServer(SqlEngine engine, int port) {
    try {
      JdbcServer server = JdbcServer.start(engine, JdbcServer.DEFAULT_HOST, port);
      out.println("JDBC server: " + server.driverUrl() + " (Avatica driver: " + server.url() + ")");
      out.println("  connect meanwhile with: ./dstream sql -u '" + server.driverUrl() + "'");
      return server;
    } catch (RuntimeException e) {
      out.println(
          "Port " + port + " is not available (" + ServerCommand.rootMessage(e)
              + "); continuing without the JDBC server.");
      return null;
    }
  }

  /** A port number, or -1 for {@code off}. */
  private static int webPort(String value) throws UsageException {
    if (value.equalsIgnoreCase("off")) {
      return -1;
    }
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("demo: --web-port needs a port between 0 and 65535 or 'off', was '" + value + "'");
  }

  private WebServer startWeb(Engine engine, int webPort) {
    if (webPort < 0) {
      return null;
    }
    try {
      WebServer web = WebServer.start(engine, JdbcServer.DEFAULT_HOST, webPort);
      out.println("Status page: " + web.url() + " (plots of the query's batches; also /metrics)");
      return web;
    } catch (RuntimeException e) {
      out.println("Port " + webPort + " is not available (" + ServerCommand.rootMessage(e)
          + "); continuing without the status page.");
      return null;
    }
  }

  private void stream(PushStream stream, int seconds, AtomicBoolean stopping) throws InterruptedException {
    LiveTable table = new LiveTable(stream.columns(), out);
    table.printHeader();
    long start = System.nanoTime();
    long limit = seconds > 0 ? TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
    while (!stopping.get() && System.nanoTime() - start < limit) {
      long left = TimeUnit.NANOSECONDS.toMillis(limit - (System.nanoTime() - start));
      Polled polled = stream.poll(1000, Math.max(1, Math.min(POLL_MILLIS, left)));
      for (Object[] row : polled.rows()) {
        table.printRow(row);
      }
      if (polled.done()) {
        out.println("(stream ended)");
        break;
      }
    }
  }
}

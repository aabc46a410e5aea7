package io.dstream.jdbcserver.cli;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.checkpoint.CheckpointConfig;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import io.dstream.jdbcserver.meta.JdbcServer;
import io.dstream.jdbcserver.meta.ServerSecurity;
import io.dstream.jdbcserver.meta.StreamMeta;
import io.dstream.jdbcserver.web.WebServer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** {@code dstream server}: an engine served over JDBC until the process is stopped. */
final class ServerCommand {
  static final String USAGE =
      """
      Usage: dstream server [options]

      Starts an engine and serves it over JDBC until stopped (Ctrl-C).

      Options:
        --port <port>              Port to listen on (default 8765; 0 picks a free port)
        --host <address>           Address to bind (default 127.0.0.1)
        --workers <n>              In-process workers (default 2)
        --batch-interval <time>    Batch interval, such as 500ms, 1s or 2s (default 1s)
        --cluster                  Cluster mode: tasks run on worker processes ('dstream worker')
        --driver-port <port>       Port where workers join in cluster mode (default 7077)
        --driver-host <address>    Address workers connect to (default: the --host address)
        --secret <secret>          Shared secret workers must present (or DSTREAM_SECRET)
        --speculation <on|off>     Back up straggling tasks with a copy on another worker
                                   (default on: 1.4x the median, once 75% of a stage is done)
        --checkpoint-dir <dir>     Checkpoint the state of stateful queries under this directory
                                   (one subdirectory per query; default: no checkpoints)
        --checkpoint-interval <n>  Checkpoint every n batches (default: about every 10 s)
        --users <file>             Require a user and password (HTTP BASIC) listed in this file,
                                   one 'user: password[,role]' line per user ('#' comments;
                                   roles are not checked). Without it anyone who can reach
                                   the address may connect: keep the default 127.0.0.1 then.
        --tls-keystore <file>      Serve HTTPS with the key and certificate in this PKCS12
                                   keystore (keytool -genkeypair ... -keystore file)
        --tls-keystore-password <password>
                                   The keystore's password (or DSTREAM_TLS_KEYSTORE_PASSWORD)
        --web-port <port>          Also serve a read-only status page (/), JSON (/api/queries)
                                   and Prometheus metrics (/metrics) on this port, on the
                                   --host address, without authentication (default: off;
                                   0 picks a free port)
        --push-buffer-rows <n>     Rows a push query holds for a client that reads slower than
                                   the query produces; when full the query is stopped and the
                                   client gets an error (default 100000)
        --idle-timeout <time>      Close connections, their statements and push queries, after
                                   this long without a request, such as 300s or 5m (default 300s)
        -h, --help                 Show this help

      Clients connect with the URL printed at startup, adding
      ;authentication=BASIC;avatica_user=USER;avatica_password=PASSWORD for --users and
      ;truststore=FILE;truststore_password=PASSWORD for TLS (or: dstream sql --user ...).
      """;

  private final PrintStream out;
  private final PrintStream err;

  ServerCommand(PrintStream out, PrintStream err) {
    this.out = requireNonNull(out, "out is null");
    this.err = requireNonNull(err, "err is null");
  }

  /** The parsed command line. */
  record Options(String host, int port, EngineConfig config, ServerSecurity security, boolean help, int webPort,
      long idleTimeoutMillis) {
    /** {@link #webPort} when the web page is off. */
    static final int NO_WEB = -1;
  }

  static Options parse(List<String> args) throws UsageException {
    return parse(args, System.getenv());
  }

  static Options parse(List<String> args, Map<String, String> env) throws UsageException {
    ArgReader reader = new ArgReader("server", args);
    String host = JdbcServer.DEFAULT_HOST;
    int port = JdbcServer.DEFAULT_PORT;
    EngineConfig config = EngineConfig.defaults();
    boolean cluster = false;
    int driverPort = 7077;
    String driverHost = null;
    String secret = env.get("DSTREAM_SECRET");
    Path users = null;
    Path keystore = null;
    String keystorePassword = env.get("DSTREAM_TLS_KEYSTORE_PASSWORD");
    Path checkpointDir = null;
    int checkpointInterval = 0;
    int webPort = Options.NO_WEB;
    long idleTimeoutMillis = StreamMeta.DEFAULT_IDLE_TIMEOUT_MILLIS;
    while (reader.hasNext()) {
      String option = reader.next();
      switch (option) {
        case "--cluster" -> cluster = true;
        case "--driver-port" -> driverPort = reader.intValue(option, 0, 65535);
        case "--driver-host" -> driverHost = reader.value(option);
        case "--secret" -> secret = reader.value(option);
        case "--checkpoint-dir" -> checkpointDir = checkpointDirectory(reader.value(option));
        case "--checkpoint-interval" -> checkpointInterval = reader.intValue(option, 1, 1_000_000);
        case "--users" -> users = readableFile(option, reader.value(option));
        case "--tls-keystore" -> keystore = readableFile(option, reader.value(option));
        case "--tls-keystore-password" -> keystorePassword = reader.value(option);
        case "--port" -> port = reader.intValue(option, 0, 65535);
        case "--host" -> host = reader.value(option);
        case "--web-port" -> webPort = reader.intValue(option, 0, 65535);
        case "--push-buffer-rows" -> config = config.withPushBufferRows(reader.intValue(option, 1, Integer.MAX_VALUE));
        case "--idle-timeout" -> {
          idleTimeoutMillis = reader.durationMillis(option);
          if (idleTimeoutMillis < 1000) {
            throw new UsageException("server: --idle-timeout must be at least 1s");
          }
        }
        case "--workers" -> config = config.withWorkers(reader.intValue(option, 1, 1024));
        case "--speculation" -> {
          String value = reader.value(option);
          switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "on" -> config = config.withSpeculation(config.speculation().withEnabled(true));
            case "off" -> config = config.withSpeculation(config.speculation().withEnabled(false));
            default -> throw new UsageException("server: --speculation expects on or off, got '" + value + "'");
          }
        }
        case "--batch-interval" -> {
          long millis = reader.durationMillis(option);
          if (millis < 10) {
            throw new UsageException("server: --batch-interval must be at least 10ms");
          }
          config = config.withBatchIntervalMillis(millis);
        }
        case "-h", "--help" -> {
          return new Options(host, port, config, ServerSecurity.NONE, true, webPort, idleTimeoutMillis);
        }
        default -> throw reader.unknown(option);
      }
    }
    if (cluster) {
      if (secret == null || secret.isEmpty()) {
        throw new UsageException("server: --cluster needs a shared secret: --secret or DSTREAM_SECRET");
      }
      config = config.withCluster(new EngineConfig.Cluster(driverHost != null ? driverHost : host, driverPort, secret));
    }
    if (checkpointDir != null) {
      config = config.withCheckpoint(checkpointInterval > 0 ? new CheckpointConfig(checkpointDir, checkpointInterval)
          : CheckpointConfig.withDefaultInterval(checkpointDir, config.batchIntervalMillis()));
    } else if (checkpointInterval > 0) {
      throw new UsageException("server: --checkpoint-interval needs --checkpoint-dir");
    }
    ServerSecurity.Tls tls = null;
    if (keystore != null) {
      if (keystorePassword == null) {
        throw new UsageException(
            "server: --tls-keystore needs the keystore's password: --tls-keystore-password or DSTREAM_TLS_KEYSTORE_PASSWORD");
      }
      tls = new ServerSecurity.Tls(keystore, keystorePassword);
    }
    return new Options(host, port, config, new ServerSecurity(users, tls), false, webPort, idleTimeoutMillis);
  }

  private static Path readableFile(String option, String value) throws UsageException {
    Path path;
    try {
      path = Path.of(value).toAbsolutePath();
    } catch (InvalidPathException e) {
      throw new UsageException("server: " + option + " '" + value + "' is not a valid path");
    }
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new UsageException("server: " + option + " file " + path + " does not exist or is not readable");
    }
    return path;
  }

  private static Path checkpointDirectory(String value) throws UsageException {
    try {
      return Path.of(value).toAbsolutePath();
    } catch (InvalidPathException e) {
      throw new UsageException("server: --checkpoint-dir '" + value + "' is not a valid path");
    }
  }

  int run(List<String> args) throws UsageException {
    Options options = parse(args);
    if (options.help()) {
      out.print(USAGE);
      return Main.EXIT_OK;
    }
    Engine engine;
    try {
      engine = new Engine(options.config());
    } catch (RuntimeException e) {
      err.println("dstream server: cannot start the engine: " + e.getMessage());
      return Main.EXIT_FAILURE;
    }
    JdbcServer server;
    try {
      server = JdbcServer.start(
          engine, options.host(), options.port(), options.security(), options.idleTimeoutMillis());
    } catch (RuntimeException e) {
      engine.close();
      err.println(
          "dstream server: cannot serve JDBC on " + options.host() + ":" + options.port() + ": " + rootMessage(e));
      return Main.EXIT_FAILURE;
    }
    WebServer web = null;
    if (options.webPort() != Options.NO_WEB) {
      try {
        web = WebServer.start(engine, options.host(), options.webPort());
      } catch (RuntimeException e) {
        server.close();
        engine.close();
        err.println("dstream server: cannot serve the web page on " + options.host() + ":" + options.webPort()
            + ": " + rootMessage(e));
        return Main.EXIT_FAILURE;
      }
    }
    WebServer webServer = web;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (webServer != null) {
                    webServer.close();
                  }
                  server.close();
                  engine.close();
                  stopped.countDown();
                },
                "dstream-shutdown"));
    out.println("DStream SQL server listening on " + server.driverUrl());
    out.println("  (DStream JDBC driver, in the jdbc-server jar; the plain Avatica remote driver connects with "
        + server.url() + ")");
    out.println("Access: " + server.describeAccess() + ".");
    if (webServer != null) {
      out.println("Status page: " + webServer.url() + " (also /api/queries and /metrics; no authentication)");
    }
    if (engine.cluster().isPresent()) {
      out.println("Cluster mode: workers join at " + options.config().cluster().host() + ":"
          + engine.cluster().get().port() + " (./dstream worker --driver HOST:PORT)");
    } else {
      out.println("Workers: " + options.config().workers() + ", batch interval: "
          + options.config().batchIntervalMillis() + " ms.");
    }
    CheckpointConfig checkpoint = options.config().checkpoint();
    if (checkpoint != null) {
      out.println("State checkpoints every " + checkpoint.everyBatches() + " batches under "
          + checkpoint.directory() + ".");
    }
    out.println("Press Ctrl-C to stop.");
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Main.EXIT_OK;
  }

  static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage() != null ? cause.getMessage() : cause.toString();
  }
}

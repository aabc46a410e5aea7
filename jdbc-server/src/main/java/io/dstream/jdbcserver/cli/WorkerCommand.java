package io.dstream.jdbcserver.cli;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.cluster.WorkerProcess;
import io.dstream.executor.transport.net.ProtocolConfig;
import io.dstream.executor.transport.net.SharedSecret;
import java.io.PrintStream;
import java.util.List;

/** {@code dstream worker}: a worker process that joins a cluster-mode server's driver. */
final class WorkerCommand {
  static final String USAGE =
      """
      Usage: dstream worker --driver HOST:PORT [options]

      Joins the driver of a server started with --cluster and runs its tasks until the driver
      goes away.

      Options:
        --driver <host:port>   The driver's worker port (server --driver-port, default 7077)
        --cores <n>            Task slots (default: available processors)
        --id <id>              Worker id (default: worker-<pid>)
        --memory <size>        Arrow memory for blocks and tasks, such as 512m or 4g (default: unlimited)
        --rejoin-seconds <n>   After losing the driver, try to rejoin it for n seconds (default 60)
        --secret <secret>      Shared secret (or the DSTREAM_SECRET environment variable)
        -h, --help             Show this help

      Test options:
        --task-delay-ms <n>    Wait n ms before running each task, to play a straggler
                               (default 0)
      """;

  private final PrintStream out;
  private final PrintStream err;

  WorkerCommand(PrintStream out, PrintStream err) {
    this.out = requireNonNull(out, "out is null");
    this.err = requireNonNull(err, "err is null");
  }

  int run(List<String> args) throws UsageException {
    ArgReader reader = new ArgReader("worker", args);
    String driver = null;
    int cores = Runtime.getRuntime().availableProcessors();
    String id = "worker-" + ProcessHandle.current().pid();
    String secret = System.getenv("DSTREAM_SECRET");
    int taskDelayMillis = 0;
    int rejoinSeconds = 60;
    long memoryBytes = Long.MAX_VALUE;
    while (reader.hasNext()) {
      String option = reader.next();
      switch (option) {
        case "--driver" -> driver = reader.value(option);
        case "--cores" -> cores = reader.intValue(option, 1, 1024);
        case "--id" -> id = reader.value(option);
        case "--rejoin-seconds" -> rejoinSeconds = reader.intValue(option, 0, 86_400);
        case "--memory" -> memoryBytes = parseSize(reader.value(option));
        case "--secret" -> secret = reader.value(option);
        case "--task-delay-ms" -> taskDelayMillis = reader.intValue(option, 0, 3_600_000);
        case "-h", "--help" -> {
          out.print(USAGE);
          return Main.EXIT_OK;
        }
        default -> throw reader.unknown(option);
      }
    }
    if (driver == null || driver.lastIndexOf(':') <= 0) {
      throw new UsageException("worker: --driver HOST:PORT is required");
    }
    if (secret == null || secret.isEmpty()) {
      throw new UsageException("worker: a shared secret is required: --secret or DSTREAM_SECRET");
    }
    String host = driver.substring(0, driver.lastIndexOf(':'));
    int port;
    try {
      port = Integer.parseInt(driver.substring(driver.lastIndexOf(':') + 1));
    } catch (NumberFormatException e) {
      throw new UsageException("worker: --driver expects HOST:PORT, got '" + driver + "'");
    }
    WorkerProcess worker;
    try {
      worker = WorkerProcess.start(host, port, id, cores, taskDelayMillis, memoryBytes, SharedSecret.of(secret),
          ProtocolConfig.defaults());
    } catch (RuntimeException e) {
      err.println("dstream worker: " + ServerCommand.rootMessage(e));
      return Main.EXIT_FAILURE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Main.EXIT_FAILURE;
    }
    out.println("Worker " + id + " joined the driver at " + driver + " with " + cores + " task slots");
    out.flush();
    // After losing the driver (a restart, say), try to rejoin for a while: the restarted driver
    // resumes its queries and needs workers.
    while (true) {
      try {
        Throwable end = worker.awaitEnd();
        worker.close();
        err.println("Worker " + id + " lost the driver: " + end.getMessage()
            + (rejoinSeconds > 0 ? "; trying to rejoin for " + rejoinSeconds + " s" : ""));
        worker = rejoin(host, port, id, cores, taskDelayMillis, memoryBytes, secret, rejoinSeconds);
        if (worker == null) {
          err.println("Worker " + id + " stopped: the driver did not come back");
          return Main.EXIT_OK;
        }
        out.println("Worker " + id + " rejoined the driver at " + driver);
        out.flush();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        worker.close();
        return Main.EXIT_FAILURE;
      }
    }
  }

  /** Retries joining once a second until {@code seconds} have passed; null if it never worked. */
  private WorkerProcess rejoin(String host, int port, String id, int cores, long taskDelayMillis,
      long memoryBytes, String secret, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      Thread.sleep(1000);
      try {
        return WorkerProcess.start(host, port, id, cores, taskDelayMillis, memoryBytes, SharedSecret.of(secret),
            ProtocolConfig.defaults());
      } catch (RuntimeException e) {
        if (ServerCommand.rootMessage(e).contains("secret")) {
          err.println("dstream worker: " + ServerCommand.rootMessage(e));
          return null;
        }
      }
    }
    return null;
  }

  /** A size such as 512m, 4g, 1024k or a byte count. */
  static long parseSize(String text) throws UsageException {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    long unit = 1;
    if (t.endsWith("b")) {
      t = t.substring(0, t.length() - 1);
    }
    switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
      case 'k' -> unit = 1L << 10;
      case 'm' -> unit = 1L << 20;
      case 'g' -> unit = 1L << 30;
      case 't' -> unit = 1L << 40;
      default -> unit = 1;
    }
    if (unit > 1) {
      t = t.substring(0, t.length() - 1);
    }
    try {
      long value = Long.parseLong(t.trim());
      if (value <= 0) {
        throw new NumberFormatException();
      }
      return Math.multiplyExact(value, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new UsageException("worker: --memory expects a size such as 512m or 4g, got '" + text + "'");
    }
  }
}

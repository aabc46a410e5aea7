package io.dstream.sqltests.bench;

import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.time.SystemClock;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import io.dstream.sqltests.WorkerProcesses;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A cluster-mode engine with 1 s batches and local worker processes (w1, w2, ...), running a
 * windowed count per auction over a steady Nexmark input: the setup the cluster benchmarks share.
 */
final class BenchCluster implements AutoCloseable {
  private static final String SECRET = "bench-secret";

  final Engine engine;
  final List<Process> workers = new ArrayList<>();

  /** Starts the engine ({@code config} adjusts its configuration) and one worker per argument list. */
  BenchCluster(Path logs, UnaryOperator<EngineConfig> config, List<String[]> workerArgs) throws Exception {
    engine = new Engine(config.apply(new EngineConfig(1, 1, 1000, SystemClock.INSTANCE)
        .withCluster(new EngineConfig.Cluster("127.0.0.1", 0, SECRET))));
    try {
      int port = engine.cluster().orElseThrow().port();
      for (int i = 0; i < workerArgs.size(); i++) {
        String id = "w" + (i + 1);
        workers.add(WorkerProcesses.start(id, port, SECRET, logs.resolve(id + ".log"), workerArgs.get(i)));
      }
      if (!engine.cluster().orElseThrow().awaitWorkers(workerArgs.size(), 120_000)) {
        throw new IllegalStateException("workers did not join; logs in " + logs);
      }
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  /** Creates the Nexmark stream at {@code rate} events/s and starts the windowed count into a blackhole. */
  QueryExecution startWindowedCount(long rate) {
    engine.execute("CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR,"
        + " url VARCHAR, date_time TIMESTAMP(3), extra VARCHAR,"
        + " WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND)"
        + " WITH (connector = 'nexmark', 'event.rate' = '" + rate + "', 'max.rate' = '" + rate + "')");
    engine.execute("CREATE STREAM counts WITH (connector = 'blackhole') AS SELECT STREAM auction, COUNT(*) AS n,"
        + " MAX(price) AS top, TUMBLE_END(date_time, INTERVAL '10' SECOND) AS window_end FROM bids"
        + " GROUP BY TUMBLE(date_time, INTERVAL '10' SECOND), auction");
    return engine.driver().queries().iterator().next();
  }

  @Override
  public void close() throws InterruptedException {
    engine.close();
    for (Process p : workers) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }
}

package io.dstream.sqltests;

import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.scheduler.QueryState;
import io.dstream.executor.time.ManualClock;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import io.dstream.jdbcserver.engine.StatementResult;
import io.dstream.jdbcserver.meta.JdbcServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many JDBC clients at once on one server: push and pull queries side by side, and a push client
 * that stops reading. Batches are cut by a manual clock; the threads only bound how long the test
 * may hang.
 */
@Timeout(180)
class JdbcLoadTest {
  private static final String BIDS = "CREATE STREAM bids (auction BIGINT, price BIGINT, date_time TIMESTAMP(3),"
      + " WATERMARK FOR date_time AS date_time - INTERVAL '1' SECOND) WITH (connector = 'memory')";
  private static final String VIEW = "CREATE MATERIALIZED VIEW per_auction AS"
      + " SELECT STREAM auction, COUNT(*) AS n FROM bids GROUP BY auction";
  private static final int AUCTIONS = 5;

  private final ManualClock clock = new ManualClock(0);
  private Engine engine;
  private JdbcServer server;
  private ExecutorService clients;
  private long appended;

  private void start(EngineConfig config) throws SQLException {
    engine = new Engine(config);
    server = JdbcServer.start(engine, "127.0.0.1", 0);
    try (Connection c = DriverManager.getConnection(server.url()); Statement s = c.createStatement()) {
      s.execute(BIDS);
      s.execute(VIEW);
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (clients != null) {
      clients.shutdownNow();
      assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    if (server != null) {
      server.close();
    }
    if (engine != null) {
      for (QueryExecution q : engine.driver().queries()) {
        engine.driver().stop(q.id());
      }
      assertThat(engine.driver().allocatedBytes()).isZero();
      engine.close();
    }
  }

  /** Appends {@code rows} bids spread over the auctions, then cuts a batch and waits for it. */
  private void batch(int rows) throws InterruptedException {
    String[] lines = new String[rows];
    for (int i = 0; i < rows; i++) {
      long n = appended++;
      lines[i] = (n % AUCTIONS) + "," + n + ",2026-01-01 00:00:01.000";
    }
    if (rows > 0) {
      engine.memoryLog("bids").appendCsv(lines);
    }
    // Counts taken before the clock moves, or a fast query's batch would be waited for twice.
    Map<QueryExecution, Long> before = new HashMap<>();
    for (QueryExecution q : engine.driver().queries()) {
      before.put(q, q.completedBatches());
    }
    clock.advance(1000);
    for (Map.Entry<QueryExecution, Long> q : before.entrySet()) {
      q.getKey().awaitBatches(q.getValue() + 1, 60_000);
    }
  }

  private QueryExecution viewQuery() {
    return engine.driver().queries().stream().filter(q -> q.sql().contains("per_auction")).findFirst()
        .orElseThrow();
  }

  private void awaitQueries(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (engine.driver().queries().size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + engine.driver().queries().size() + " of " + count + " queries started");
      }
      Thread.sleep(1);
    }
  }

  /** Subscribers of the view, as SHOW VIEWS counts them. */
  private long viewSubscribers() {
    StatementResult.RowSet views = (StatementResult.RowSet) engine.execute("SHOW VIEWS");
    int column = views.columns().columns().stream().map(c -> c.name()).toList().indexOf("subscribers");
    return (Long) views.rows().get(0)[column];
  }

  private void awaitSubscribers(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (viewSubscribers() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + viewSubscribers() + " of " + count + " subscribers started");
      }
      Thread.sleep(1);
    }
  }

  private static void read(ResultSet rs, int rows) throws SQLException {
    for (int i = 0; i < rows; i++) {
      assertThat(rs.next()).isTrue();
    }
  }

  private static <T> CompletableFuture<T> async(Callable<T> call) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return call.call();
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    });
  }

  @Test
  void fiftyClientsMixPushAndPullQueries() throws Exception {
    start(new EngineConfig(2, 2, 1000, clock));
    int pushClients = 25;
    int pullClients = 25;
    int rowsPerClient = 7;
    int rowsPerBatch = 20;
    // Every auction holds state in the view before the baseline is taken.
    batch(rowsPerBatch);
    long baseline = engine.driver().allocatedBytes();
    clients = Executors.newFixedThreadPool(pushClients + pullClients + 10);
    AtomicBoolean done = new AtomicBoolean();
    List<Future<List<Long>>> pushes = new ArrayList<>();
    for (int i = 0; i < pushClients; i++) {
      pushes.add(clients.submit(() -> {
        try (Connection c = DriverManager.getConnection(server.url()); Statement s = c.createStatement()) {
          s.setMaxRows(rowsPerClient);
          List<Long> prices = new ArrayList<>();
          try (ResultSet rs = s.executeQuery("SELECT STREAM auction, price FROM bids WHERE price >= 0")) {
            while (rs.next()) {
              assertThat(rs.getLong(1)).isEqualTo(rs.getLong(2) % AUCTIONS);
              prices.add(rs.getLong(2));
            }
          }
          return prices;
        }
      }));
    }
    List<Future<Integer>> pulls = new ArrayList<>();
    for (int i = 0; i < pullClients; i++) {
      pulls.add(clients.submit(() -> {
        int reads = 0;
        try (Connection c = DriverManager.getConnection(server.url()); Statement s = c.createStatement()) {
          do {
            long total = 0;
            int groups = 0;
            try (ResultSet rs = s.executeQuery("SELECT auction, n FROM per_auction")) {
              while (rs.next()) {
                total += rs.getLong(2);
                groups++;
              }
            }
            // A pull query sees the view as of a whole batch.
            assertThat(groups).isEqualTo(AUCTIONS);
            assertThat(total % rowsPerBatch).isZero();
            reads++;
          } while (!done.get());
        }
        return reads;
      }));
    }
    // Subscribers of the view's changelog, through the jdbc:dstream: driver: the view's rows when
    // they subscribe (one +I per auction), then one batch's changes (-U and +U per auction).
    int subscribers = 10;
    List<Future<Map<Long, Long>>> subscriptions = new ArrayList<>();
    for (int i = 0; i < subscribers; i++) {
      subscriptions.add(clients.submit(() -> {
        try (Connection c = DriverManager.getConnection(server.driverUrl()); Statement s = c.createStatement()) {
          s.setMaxRows(3 * AUCTIONS);
          Map<Long, Long> counts = new HashMap<>();
          try (ResultSet rs = s.executeQuery("SELECT STREAM auction, n FROM per_auction")) {
            for (int row = 0; rs.next(); row++) {
              String op = rs.getString(1);
              // An auction's -U comes before its +U (checked by the map below); auctions interleave.
              assertThat(op).isIn(row < AUCTIONS ? List.of("+I") : List.of("-U", "+U"));
              if (op.startsWith("+")) {
                assertThat(counts.put(rs.getLong(2), rs.getLong(3))).isNull();
              } else {
                assertThat(counts.remove(rs.getLong(2))).isEqualTo(rs.getLong(3));
              }
            }
          }
          return counts;
        }
      }));
    }
    awaitQueries(1 + pushClients);
    awaitSubscribers(subscribers);
    for (int b = 0; b < 4; b++) {
      batch(rowsPerBatch);
    }
    done.set(true);
    for (Future<List<Long>> push : pushes) {
      List<Long> prices = push.get(60, TimeUnit.SECONDS);
      // Each client reads the rows of the first batch after it started, in order of arrival.
      assertThat(prices).hasSize(rowsPerClient).allMatch(p -> p >= rowsPerBatch && p < 2L * rowsPerBatch);
    }
    for (Future<Integer> pull : pulls) {
      assertThat(pull.get(60, TimeUnit.SECONDS)).isPositive();
    }
    for (Future<Map<Long, Long>> subscription : subscriptions) {
      // Applied, the changes leave every auction with its count after one whole batch.
      Map<Long, Long> counts = subscription.get(60, TimeUnit.SECONDS);
      assertThat(counts).hasSize(AUCTIONS);
      assertThat(new java.util.HashSet<>(counts.values())).hasSize(1)
          .allMatch(n -> n > 0 && n % (rowsPerBatch / AUCTIONS) == 0);
    }
    assertThat(viewSubscribers()).isZero();
    assertThat(engine.driver().queries()).containsExactly(viewQuery());
    assertThat(viewQuery().state()).isEqualTo(QueryState.RUNNING);
    assertThat(server.meta().openStatementCount()).isZero();
    assertThat(engine.driver().allocatedBytes()).isEqualTo(baseline);
  }

  @Test
  void aClientThatDoesNotReadIsDroppedWhenItsBufferFills() throws Exception {
    start(new EngineConfig(2, 1, 1000, clock).withPushBufferRows(50));
    try (Connection slow = DriverManager.getConnection(server.url());
         Statement slowStatement = slow.createStatement();
         Connection reader = DriverManager.getConnection(server.url());
         Statement readerStatement = reader.createStatement()) {
      CompletableFuture<ResultSet> slowQuery =
          async(() -> slowStatement.executeQuery("SELECT STREAM auction, price FROM bids WHERE auction < 100"));
      awaitQueries(2);
      QueryExecution slowExecution = engine.driver().queries().stream()
          .filter(q -> q.sql().contains("auction < 100")).findFirst().orElseThrow();
      readerStatement.setMaxRows(10 + 30 * 4);
      CompletableFuture<ResultSet> readerQuery = async(() -> readerStatement.executeQuery(
          "SELECT STREAM auction, price FROM bids"));
      awaitQueries(3);
      batch(10);
      ResultSet slowRows = slowQuery.get(60, TimeUnit.SECONDS);
      ResultSet readerRows = readerQuery.get(60, TimeUnit.SECONDS);
      // The reader keeps up, batch by batch, under the same bound of 50 rows. The remote driver
      // reads a row ahead, so it is one row behind until its row limit ends the result set.
      read(readerRows, 9);
      // The slow client holds the first rows and reads no more; 30 + 30 rows overflow its 50.
      batch(30);
      read(readerRows, 30);
      assertThat(slowExecution.state()).isEqualTo(QueryState.RUNNING);
      batch(30);
      read(readerRows, 30);
      assertThat(slowExecution.awaitTermination(60_000)).isTrue();
      assertThat(slowExecution.state()).isEqualTo(QueryState.FAILED);
      assertThat(slowExecution.failure()).isInstanceOf(EngineException.class)
          .hasMessageContaining("read too slowly").hasMessageContaining("50 rows");
      long viewBatches = viewQuery().completedBatches();
      batch(30);
      read(readerRows, 30);
      batch(30);
      read(readerRows, 31);
      assertThat(readerRows.next()).isFalse();
      assertThat(viewQuery().completedBatches()).isEqualTo(viewBatches + 2);
      int slowRead = 0;
      AvaticaClientRuntimeException error = null;
      try {
        while (slowRows.next()) {
          slowRead++;
        }
      } catch (AvaticaClientRuntimeException e) {
        // The remote driver raises a failed fetch from ResultSet.next() unchecked, not as a
        // SQLException; it carries the server's message and SQLSTATE all the same.
        error = e;
      }
      assertThat(slowRead).isLessThanOrEqualTo(10);
      assertThat((Throwable) error).isNotNull();
      assertThat(error.getMessage()).contains("The client read too slowly: the buffer of 50 rows");
      assertThat(error.getSqlState()).isEqualTo("53000");
      assertThat(engine.driver().queries()).containsExactly(viewQuery());
    }
    assertThat(server.meta().openStatementCount()).isZero();
  }
}

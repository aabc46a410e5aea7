package io.dstream.jdbcserver.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.scheduler.QueryState;
import io.dstream.executor.time.ManualClock;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that goes away without closing: its connection, statements and push query are closed
 * once it made no request for the idle timeout. The idle clock is a counter the test moves, so
 * the server's own periodic sweep can only act when the test lets time pass.
 */
@Timeout(60)
class IdleConnectionTest {
  private static final long IDLE_MILLIS = 1000;

  private final ManualClock batches = new ManualClock(0);
  private final AtomicLong idleClock = new AtomicLong();
  private Engine engine;
  private JdbcServer server;

  @BeforeEach
  void start() {
    engine = new Engine(new EngineConfig(1, 1, 1000, batches));
    server = JdbcServer.start(engine, "127.0.0.1", 0, ServerSecurity.NONE, IDLE_MILLIS, idleClock::get);
  }

  @AfterEach
  void stop() {
    server.close();
    for (QueryExecution q : engine.driver().queries()) {
      engine.driver().stop(q.id());
    }
    assertThat(engine.driver().allocatedBytes()).isZero();
    engine.close();
  }

  @Test
  void anAbandonedPushQueryIsStoppedAfterTheIdleTimeout() throws Exception {
    Connection abandoned = DriverManager.getConnection(server.url());
    Connection active = DriverManager.getConnection(server.url());
    try (Statement s = active.createStatement()) {
      s.execute("CREATE STREAM bids (auction BIGINT, price BIGINT) WITH (connector = 'memory')");
    }
    Statement statement = abandoned.createStatement();
    CompletableFuture<ResultSet> query = CompletableFuture.supplyAsync(() -> {
      try {
        return statement.executeQuery("SELECT STREAM auction, price FROM bids");
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (engine.driver().queries().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    QueryExecution push = engine.driver().queries().iterator().next();
    engine.memoryLog("bids").appendCsv("1,10", "2,20");
    batches.advance(1000);
    push.awaitBatches(1, 30_000);
    ResultSet rows = query.get(30, TimeUnit.SECONDS);
    assertThat(rows.next()).isTrue();
    assertThat(server.meta().openStatementCount()).isEqualTo(1);

    // The abandoned client makes no more requests; the other one does, later.
    idleClock.set(600);
    try (Statement s = active.createStatement(); ResultSet r = s.executeQuery("SHOW STREAMS")) {
      assertThat(r.next()).isTrue();
    }
    idleClock.set(IDLE_MILLIS - 1);
    server.meta().sweep(IDLE_MILLIS - 1);
    assertThat(push.state()).isEqualTo(QueryState.RUNNING);

    idleClock.set(IDLE_MILLIS);
    server.meta().sweep(IDLE_MILLIS);
    assertThat(push.state()).isEqualTo(QueryState.STOPPED);
    assertThat(engine.driver().queries()).isEmpty();
    assertThat(server.meta().openStatementCount()).isZero();
    assertThat(engine.driver().allocatedBytes()).isZero();

    // The active connection is still served.
    try (Statement s = active.createStatement(); ResultSet r = s.executeQuery("SHOW STREAMS")) {
      assertThat(r.next()).isTrue();
    }
    active.close();
    abandoned.close();
  }

  @Test
  void aPreparedStatementClosedByTheSweepSaysSoWhenExecuted() throws Exception {
    try (Connection connection = DriverManager.getConnection(server.url())) {
      java.sql.PreparedStatement prepared = connection.prepareStatement("SELECT 1 AS x");
      try (ResultSet r = prepared.executeQuery()) {
        assertThat(r.next()).isTrue();
      }
      idleClock.set(IDLE_MILLIS);
      server.meta().sweep(IDLE_MILLIS);
      assertThat(server.meta().openStatementCount()).isZero();
      org.assertj.core.api.Assertions.assertThatThrownBy(prepared::executeQuery)
          .isInstanceOf(java.sql.SQLException.class)
          .hasMessageContaining("This prepared statement no longer exists on the server")
          .hasMessageContaining("prepare it again");
    }
  }
}

package io.dstream.sqltests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.time.ManualClock;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import io.dstream.jdbcserver.meta.JdbcServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
/** The engine through a real Avatica server and the plain remote driver, as any JDBC client sees it. */
class JdbcEndToEndTest {
  private static final String BIDS = "CREATE STREAM bids (auction BIGINT, price BIGINT, date_time TIMESTAMP(3),"
      + " WATERMARK FOR date_time AS date_time - INTERVAL '1' SECOND) WITH (connector = 'memory')";

  private ManualClock clock;
  private Engine engine;
  private JdbcServer server;
  private Connection connection;

  @BeforeEach
  void start() throws Exception {
    clock = new ManualClock(0);
    engine = new Engine(new EngineConfig(2, 1, 1000, clock));
    server = JdbcServer.start(engine, "127.0.0.1", 0);
    connection = DriverManager.getConnection(server.url());
  }

  @AfterEach
  void stop() throws Exception {
    connection.close();
    server.close();
    for (QueryExecution q : engine.driver().queries()) {
      engine.driver().stop(q.id());
    }
    assertThat(engine.driver().allocatedBytes()).isZero();
    engine.close();
  }

  private void batch() throws InterruptedException {
    clock.advance(1000);
    for (QueryExecution q : engine.driver().queries()) {
      q.awaitBatches(q.completedBatches() + 1, 30_000);
    }
  }

  /** Runs a blocking JDBC call on another thread. */
  private static <T> CompletableFuture<T> async(Callable<T> call) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return call.call();
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    });
  }

  /** Waits until the server has started {@code count} queries (polling the driver's registry). */
  private void awaitQueries(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (engine.driver().queries().size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("query did not start");
      }
      Thread.onSpinWait();
      Thread.sleep(1);
    }
  }

  @Test
  void pullQueryOnAMaterializedViewIsAFiniteResultSet() throws Exception {
    try (Statement s = connection.createStatement()) {
      s.execute(BIDS);
      s.execute("CREATE MATERIALIZED VIEW per_auction AS"
          + " SELECT STREAM auction, COUNT(*) AS n, SUM(price) AS total, MAX(date_time) AS last_bid"
          + " FROM bids GROUP BY auction");
      engine.memoryLog("bids").appendCsv("7,100,2026-01-01 00:00:01.000", "7,50,2026-01-01 00:00:02.000",
          "8,10,2026-01-01 00:00:03.000");
      batch();
      try (ResultSet rs = s.executeQuery("SELECT auction, n, total, last_bid FROM per_auction"
          + " WHERE total > 20 ORDER BY auction")) {
        ResultSetMetaData md = rs.getMetaData();
        assertThat(md.getColumnCount()).isEqualTo(4);
        assertThat(md.getColumnLabel(3)).isEqualToIgnoringCase("total");
        assertThat(md.getColumnType(2)).isEqualTo(Types.BIGINT);
        assertThat(md.getColumnType(4)).isEqualTo(Types.TIMESTAMP);
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1) + "," + rs.getLong(2) + "," + rs.getLong(3) + "," + rs.getString(4))
            .isEqualTo("7,2,150,2026-01-01 00:00:02.000");
        assertThat(rs.next()).isFalse();
      }
      try (ResultSet rs = s.executeQuery("SHOW VIEWS")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("view_name")).isEqualTo("per_auction");
        assertThat(rs.getLong("row_count")).isEqualTo(2);
      }
      assertThat(s.execute("DROP MATERIALIZED VIEW per_auction")).isFalse();
    }
    assertThat(engine.driver().queries()).allMatch(q -> q.state() != io.dstream.executor.scheduler.QueryState.RUNNING);
  }

  @Test
  void ddlIsAnUpdateWithoutRows() throws Exception {
    try (Statement s = connection.createStatement()) {
      assertThat(s.execute(BIDS)).isFalse();
      assertThat(s.getUpdateCount()).isZero();
    }
  }

  @Test
  void pushQueryDeliversWindowsAsBatchesComplete() throws Exception {
    try (Statement s = connection.createStatement()) {
      s.execute(BIDS);
      // The remote driver's executeQuery returns with the first row, so it runs beside the feed;
      // and it reads one row ahead, so setMaxRows bounds the read.
      s.setMaxRows(2);
      CompletableFuture<ResultSet> query = async(() -> s.executeQuery(
          "SELECT STREAM auction, COUNT(*) AS n, SUM(price) AS total,"
          + " TUMBLE_END(date_time, INTERVAL '10' SECOND) AS window_end"
          + " FROM bids GROUP BY TUMBLE(date_time, INTERVAL '10' SECOND), auction"));
      awaitQueries(1);
      engine.memoryLog("bids").appendCsv("7,100,2026-01-01 00:00:01.000", "7,50,2026-01-01 00:00:02.000",
          "8,10,2026-01-01 00:00:03.000");
      batch();
      engine.memoryLog("bids").appendCsv("9,1,2026-01-01 00:00:12.000");
      batch();
      ResultSet rs = query.get(30, TimeUnit.SECONDS);
      ResultSetMetaData md = rs.getMetaData();
      assertThat(md.getColumnCount()).isEqualTo(4);
      assertThat(md.getColumnLabel(2)).isEqualToIgnoringCase("n");
      assertThat(md.getColumnType(2)).isEqualTo(Types.BIGINT);
      assertThat(md.getColumnType(4)).isEqualTo(Types.TIMESTAMP);
      List<String> rows = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        assertThat(rs.next()).isTrue();
        rows.add(rs.getLong(1) + "," + rs.getLong(2) + "," + rs.getLong(3) + "," + rs.getString(4));
      }
      assertThat(rows).containsExactlyInAnyOrder("7,2,150,2026-01-01 00:00:10.000", "8,1,10,2026-01-01 00:00:10.000");
      rs.close();
    }
    assertThat(engine.driver().queries()).isEmpty();
  }

  @Test
  void emitChangesDeliversAChangelogWithItsOperationColumn() throws Exception {
    try (Statement s = connection.createStatement()) {
      s.execute(BIDS);
      s.setMaxRows(3);
      CompletableFuture<ResultSet> query = async(() -> s.executeQuery(
          "SELECT STREAM auction, COUNT(*) AS n FROM bids GROUP BY auction EMIT CHANGES"));
      awaitQueries(1);
      engine.memoryLog("bids").appendCsv("7,100,2026-01-01 00:00:01.000");
      batch();
      engine.memoryLog("bids").appendCsv("7,50,2026-01-01 00:00:02.000");
      batch();
      ResultSet rs = query.get(30, TimeUnit.SECONDS);
      ResultSetMetaData md = rs.getMetaData();
      assertThat(md.getColumnCount()).isEqualTo(3);
      assertThat(md.getColumnLabel(1)).isEqualToIgnoringCase("op");
      assertThat(md.getColumnType(1)).isEqualTo(Types.VARCHAR);
      List<String> rows = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        assertThat(rs.next()).isTrue();
        rows.add(rs.getString(1) + "," + rs.getLong(2) + "," + rs.getLong(3));
      }
      assertThat(rows).containsExactly("+I,7,1", "-U,7,1", "+U,7,2");
      rs.close();
    }
    assertThat(engine.driver().queries()).isEmpty();
  }

  @Test
  void maxRowsStopsThePushQuery() throws Exception {
    try (Statement s = connection.createStatement()) {
      s.execute(BIDS);
      s.setMaxRows(2);
      CompletableFuture<ResultSet> query = async(() -> s.executeQuery("SELECT STREAM auction FROM bids"));
      awaitQueries(1);
      engine.memoryLog("bids").appendCsv("1,1,2026-01-01 00:00:01.000", "2,1,2026-01-01 00:00:01.000",
          "3,1,2026-01-01 00:00:01.000");
      batch();
      ResultSet rs = query.get(30, TimeUnit.SECONDS);
      assertThat(rs.next()).isTrue();
      assertThat(rs.next()).isTrue();
      assertThat(rs.next()).isFalse();
    }
    assertThat(engine.driver().queries()).isEmpty();
  }

  @Test
  void boundedCsvQueryEnds() throws Exception {
    Path file = Path.of("src/test/resources/golden/data/bids_small.csv").toAbsolutePath();
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE STREAM b (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,"
          + " date_time TIMESTAMP(3), extra VARCHAR, WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND)"
          + " WITH (connector = 'csv', path = '" + file + "')");
      CompletableFuture<ResultSet> query = async(() -> s.executeQuery(
          "SELECT STREAM window_start, MAX(price) AS max_price FROM TABLE("
          + "TUMBLE(TABLE b, DESCRIPTOR(date_time), INTERVAL '10' SECOND)) GROUP BY window_start, window_end"));
      awaitQueries(1);
      batch();
      ResultSet rs = query.get(30, TimeUnit.SECONDS);
      List<Long> max = new ArrayList<>();
      while (rs.next()) {
        max.add(rs.getLong("max_price"));
      }
      assertThat(max).containsExactlyInAnyOrder(9000L, 123000L, 777L);
    }
  }

  @Test
  void errorsCarryPositionAndSqlState() throws Exception {
    try (Statement s = connection.createStatement()) {
      assertThatThrownBy(() -> s.execute("SELECT STREAM a\nFROM nowhere WHERE"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("line 2, column")
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42000"));
      assertThatThrownBy(() -> s.execute("SELECT STREAM x FROM nowhere"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("nowhere");
      assertThatThrownBy(() -> s.execute("CREATE STREAM k (a BIGINT) WITH (connector = 'kafka')"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("Unknown connector 'kafka'");
    }
  }

  @Test
  void metadataListsStreamsAndColumns() throws Exception {
    try (Statement s = connection.createStatement()) {
      s.execute(BIDS);
    }
    DatabaseMetaData md = connection.getMetaData();
    List<String> tables = new ArrayList<>();
    try (ResultSet rs = md.getTables(null, null, "%", new String[] {"STREAM", "TABLE", "VIEW"})) {
      while (rs.next()) {
        tables.add(rs.getString("TABLE_NAME") + ":" + rs.getString("TABLE_TYPE"));
      }
    }
    assertThat(tables).containsExactly("bids:STREAM");
    List<String> columns = new ArrayList<>();
    try (ResultSet rs = md.getColumns(null, null, "bids", "%")) {
      while (rs.next()) {
        columns.add(rs.getString("COLUMN_NAME") + ":" + rs.getInt("DATA_TYPE") + ":" + rs.getInt("ORDINAL_POSITION"));
      }
    }
    assertThat(columns).containsExactly("auction:" + Types.BIGINT + ":1", "price:" + Types.BIGINT + ":2",
        "date_time:" + Types.TIMESTAMP + ":3");
    try (ResultSet rs = md.getSchemas()) {
      assertThat(rs.next()).isTrue();
    }
    try (ResultSet rs = md.getTableTypes()) {
      List<String> types = new ArrayList<>();
      while (rs.next()) {
        types.add(rs.getString(1));
      }
      assertThat(types).containsExactly("STREAM", "TABLE", "VIEW");
    }
  }
}

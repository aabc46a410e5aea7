package io.dstream.sqltests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.time.ManualClock;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import io.dstream.jdbcserver.meta.JdbcServer;
import io.dstream.jdbcserver.meta.StreamMeta;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.calcite.avatica.Meta;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a generic JDBC BI tool does when it connects, through a real Avatica server and the plain
 * remote driver: browse the catalog with DatabaseMetaData, then run a prepared pull query with a
 * parameter on a materialized view.
 */
@Timeout(60)
class JdbcBrowsingTest {
  private static final String BIDS = "CREATE STREAM bids (auction BIGINT, price BIGINT, date_time TIMESTAMP(3),"
      + " WATERMARK FOR date_time AS date_time - INTERVAL '1' SECOND) WITH (connector = 'memory')";

  @TempDir Path dir;
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
    Path items = dir.resolve("items.csv");
    Files.writeString(items, "1,books\n2,games\n");
    try (Statement s = connection.createStatement()) {
      s.execute(BIDS);
      s.execute("CREATE TABLE items (id BIGINT, category VARCHAR) WITH (connector = 'csv', path = '" + items + "')");
      s.execute("CREATE MATERIALIZED VIEW per_auction AS"
          + " SELECT STREAM auction, COUNT(*) AS n, SUM(price) AS total FROM bids GROUP BY auction");
    }
    engine.memoryLog("bids").appendCsv("1,10,2026-01-01 00:00:01.000", "1,20,2026-01-01 00:00:02.000",
        "2,5,2026-01-01 00:00:02.000", "3,7,2026-01-01 00:00:03.000", "3,8,2026-01-01 00:00:03.500",
        "3,9,2026-01-01 00:00:04.000", "3,1,2026-01-01 00:00:04.500");
    batch();
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

  @Test
  void aBiToolBrowsesTheCatalogThenRunsAPreparedPullQuery() throws Exception {
    DatabaseMetaData md = connection.getMetaData();
    // The plain remote driver names itself and the database from its own jar, not the server.
    assertThat(md.getDatabaseProductName()).isEqualTo("Avatica");
    assertThat(md.getDriverName()).isNotBlank();
    assertThat(md.getDatabaseProductVersion()).isNotBlank();
    // These come from the server.
    assertThat(md.getDefaultTransactionIsolation()).isEqualTo(Connection.TRANSACTION_NONE);
    assertThat(md.getNumericFunctions()).isEqualTo("ABS,CEIL,FLOOR,MOD");
    assertThat(md.getStringFunctions()).contains("UPPER");

    try (ResultSet rs = md.getCatalogs()) {
      assertThat(rows(rs, "TABLE_CAT")).containsExactly("dstream");
    }
    try (ResultSet rs = md.getSchemas()) {
      assertThat(rows(rs, "TABLE_CATALOG", "TABLE_SCHEM")).containsExactly("dstream|default");
    }
    try (ResultSet rs = md.getTableTypes()) {
      assertThat(rows(rs, "TABLE_TYPE")).containsExactly("TABLE", "VIEW");
    }
    // Streams are listed as TABLE, so that tools asking for {TABLE, VIEW} see them.
    try (ResultSet rs = md.getTables(null, null, "%", new String[] {"TABLE", "VIEW"})) {
      assertThat(rows(rs, "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE")).containsExactly(
          "dstream|default|bids|TABLE", "dstream|default|items|TABLE", "dstream|default|per_auction|VIEW");
    }
    try (ResultSet rs = md.getTables("dstream", "default", "per%", new String[] {"VIEW"})) {
      assertThat(rows(rs, "TABLE_NAME")).containsExactly("per_auction");
    }

    try (ResultSet rs = md.getColumns("dstream", "default", "per_auction", "%")) {
      assertThat(rows(rs, "TABLE_NAME", "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "COLUMN_SIZE", "DECIMAL_DIGITS",
          "NULLABLE", "ORDINAL_POSITION", "IS_NULLABLE")).containsExactly(
              "per_auction|auction|" + Types.BIGINT + "|BIGINT|19|0|1|1|YES",
              "per_auction|n|" + Types.BIGINT + "|BIGINT|19|0|0|2|NO",
              "per_auction|total|" + Types.BIGINT + "|BIGINT|19|0|1|3|YES");
    }
    // Avatica's remote protocol has no request for primary keys or functions: the remote driver
    // answers both with an empty result of the right shape, without asking the server.
    try (ResultSet rs = md.getPrimaryKeys("dstream", "default", "per_auction")) {
      assertThat(rs.getMetaData().getColumnLabel(4)).isEqualTo("COLUMN_NAME");
      assertThat(rs.next()).isFalse();
    }
    try (ResultSet rs = md.getFunctions(null, null, "%")) {
      assertThat(rs.getMetaData().getColumnLabel(3)).isEqualTo("FUNCTION_NAME");
      assertThat(rs.next()).isFalse();
    }

    try (ResultSet rs = md.getTypeInfo()) {
      List<String> types = rows(rs, "TYPE_NAME", "DATA_TYPE");
      assertThat(types).contains("BIGINT|" + Types.BIGINT, "VARCHAR|" + Types.VARCHAR,
          "TIMESTAMP|" + Types.TIMESTAMP, "DECIMAL|" + Types.DECIMAL, "BOOLEAN|" + Types.BOOLEAN);
    }

    try (PreparedStatement ps = connection.prepareStatement("SELECT auction, n FROM per_auction WHERE n > ? ORDER BY"
        + " auction")) {
      ParameterMetaData pmd = ps.getParameterMetaData();
      assertThat(pmd.getParameterCount()).isEqualTo(1);
      assertThat(pmd.getParameterType(1)).isEqualTo(Types.BIGINT);
      assertThat(ps.getMetaData().getColumnCount()).isEqualTo(2);
      assertThat(ps.getMetaData().getColumnLabel(2)).isEqualToIgnoringCase("n");

      ps.setLong(1, 1);
      assertThat(rows(ps.executeQuery(), "auction", "n")).containsExactly("1|2", "3|4");
      ps.setLong(1, 3);
      assertThat(rows(ps.executeQuery(), "auction", "n")).containsExactly("3|4");
      ps.setLong(1, 4);
      assertThat(rows(ps.executeQuery(), "auction", "n")).isEmpty();
    }
  }

  /** What the server's Meta answers (an in-process Avatica client would see these). */
  @Test
  void theServerMetaListsAViewsGroupKeysAndTheFunctions() throws Exception {
    try (StreamMeta meta = new StreamMeta(engine)) {
      Meta.ConnectionHandle ch = new Meta.ConnectionHandle("browser");
      meta.openConnection(ch, Map.of());
      assertThat(rows(meta.getPrimaryKeys(ch, "dstream", "default", "per_auction")))
          .containsExactly("[dstream, default, per_auction, auction, 1, per_auction_pk]");
      assertThat(rows(meta.getPrimaryKeys(ch, null, null, "bids"))).isEmpty();
      assertThat(rows(meta.getPrimaryKeys(ch, null, null, "items"))).isEmpty();
      assertThat(rows(meta.getFunctions(ch, null, Meta.Pat.of("%"), Meta.Pat.of("TUMBLE%")))).containsExactly(
          "[dstream, default, TUMBLE, built-in, " + DatabaseMetaData.functionResultUnknown + ", TUMBLE]",
          "[dstream, default, TUMBLE_END, built-in, " + DatabaseMetaData.functionResultUnknown + ", TUMBLE_END]",
          "[dstream, default, TUMBLE_START, built-in, " + DatabaseMetaData.functionResultUnknown
              + ", TUMBLE_START]");
      assertThat(meta.getPrimaryKeys(ch, null, null, "per_auction").signature.columns)
          .extracting(c -> c.columnName)
          .containsExactly("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "KEY_SEQ", "PK_NAME");
      meta.closeConnection(ch);
    }
  }

  private static List<String> rows(Meta.MetaResultSet result) {
    List<String> rows = new ArrayList<>();
    for (Object row : result.firstFrame.rows) {
      rows.add(row.toString());
    }
    return rows;
  }

  @Test
  void preparedStatementsTakeParametersOfSeveralTypes() throws Exception {
    try (PreparedStatement ps = connection.prepareStatement(
        "SELECT auction, total FROM per_auction WHERE total BETWEEN ? AND ? AND CAST(auction AS VARCHAR) <> ?"
            + " ORDER BY auction")) {
      ps.setInt(1, 5);
      ps.setBigDecimal(2, new java.math.BigDecimal("30"));
      ps.setString(3, "2");
      assertThat(rows(ps.executeQuery(), "auction", "total")).containsExactly("1|30", "3|25");
    }
  }

  @Test
  void parametersOutsidePullQueriesAreRejectedClearly() throws Exception {
    assertThatThrownBy(() -> connection.prepareStatement("SELECT STREAM auction FROM bids WHERE price > ?"))
        .isInstanceOf(SQLException.class)
        .hasStackTraceContaining("parameters (?) are supported in pull queries on materialized views only");
    try (PreparedStatement ps = connection.prepareStatement("SELECT auction FROM per_auction WHERE n > ?")) {
      ps.setLong(1, 1);
      assertThat(rows(ps.executeQuery(), "auction")).containsExactlyInAnyOrder("1", "3");
    }
  }

  private static List<String> rows(ResultSet rs, String... labels) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        List<String> values = new ArrayList<>();
        for (String label : labels) {
          values.add(rs.getString(label));
        }
        rows.add(String.join("|", values));
      }
    }
    return rows;
  }
}

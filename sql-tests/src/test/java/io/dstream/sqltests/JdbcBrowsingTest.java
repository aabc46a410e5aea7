package io.dstream.sqltests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.time.ManualClock;
import io.dstream.jdbcserver.client.DStreamDriver;
import io.dstream.jdbcserver.client.ProductVersion;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import io.dstream.jdbcserver.meta.JdbcServer;
import io.dstream.jdbcserver.meta.StreamMeta;
import io.dstream.sqltests.functions.Bucket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
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
 * What a generic JDBC BI tool does when it connects, through a real Avatica server over HTTP:
 * browse the catalog with DatabaseMetaData, then run a prepared pull query with a parameter on a
 * materialized view. Through the DStream driver ({@code jdbc:dstream:}) everything is answered;
 * the plain Avatica remote driver still browses and queries, without keys, functions or the
 * product's name.
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
      // Two keys, whose key order (price, auction) differs from their name order.
      s.execute("CREATE MATERIALIZED VIEW per_price AS"
          + " SELECT STREAM price, auction, COUNT(*) AS n FROM bids GROUP BY auction, price");
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
    Batches.next(engine, clock, 1000);
  }

  @Test
  void aBiToolBrowsesTheCatalogThroughTheDStreamDriverThenRunsAPreparedPullQuery() throws Exception {
    assertThat(server.driverUrl()).isEqualTo("jdbc:dstream:url=http://127.0.0.1:" + server.port()
        + ";serialization=protobuf");
    assertThat(DriverManager.getDriver(server.driverUrl())).isInstanceOf(DStreamDriver.class);
    try (Connection c = DriverManager.getConnection(server.driverUrl())) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE FUNCTION bucket AS '" + Bucket.class.getName() + "'");
      }
      DatabaseMetaData md = c.getMetaData();
      assertThat(md.getDatabaseProductName()).isEqualTo("DStream SQL");
      assertThat(md.getDatabaseProductVersion()).isEqualTo(ProductVersion.version()).matches("\\d+\\.\\d+\\..*")
          .doesNotContain("unknown");
      assertThat(md.getDatabaseMajorVersion()).isEqualTo(ProductVersion.major());
      assertThat(md.getDatabaseMinorVersion()).isEqualTo(ProductVersion.minor());
      assertThat(md.getDriverName()).isEqualTo("DStream SQL JDBC Driver");
      assertThat(md.getDriverVersion()).isEqualTo(ProductVersion.version());
      assertThat(md.getDefaultTransactionIsolation()).isEqualTo(Connection.TRANSACTION_NONE);
      assertThat(md.getNumericFunctions()).isEqualTo("ABS,CEIL,FLOOR,MOD");

      try (ResultSet rs = md.getCatalogs()) {
        assertThat(rows(rs, "TABLE_CAT")).containsExactly("dstream");
      }
      try (ResultSet rs = md.getSchemas()) {
        assertThat(rows(rs, "TABLE_CATALOG", "TABLE_SCHEM")).containsExactly("dstream|default");
      }
      try (ResultSet rs = md.getTableTypes()) {
        assertThat(rows(rs, "TABLE_TYPE")).containsExactly("STREAM", "TABLE", "VIEW");
      }
      try (ResultSet rs = md.getTables(null, null, "%", null)) {
        assertThat(rows(rs, "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE")).containsExactly(
            "dstream|default|bids|STREAM", "dstream|default|items|TABLE", "dstream|default|per_auction|VIEW",
            "dstream|default|per_price|VIEW");
      }
      // A tool asking for TABLE and VIEW does not see streams.
      try (ResultSet rs = md.getTables(null, null, "%", new String[] {"TABLE", "VIEW"})) {
        assertThat(rows(rs, "TABLE_NAME")).containsExactly("items", "per_auction", "per_price");
      }
      try (ResultSet rs = md.getTables("dstream", "default", "per\\_a%", new String[] {"VIEW"})) {
        assertThat(rows(rs, "TABLE_NAME")).containsExactly("per_auction");
      }

      try (ResultSet rs = md.getColumns("dstream", "default", "per_auction", "%")) {
        assertThat(rows(rs, "TABLE_NAME", "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "COLUMN_SIZE", "DECIMAL_DIGITS",
            "NULLABLE", "ORDINAL_POSITION", "IS_NULLABLE")).containsExactly(
                "per_auction|auction|" + Types.BIGINT + "|BIGINT|19|0|1|1|YES",
                "per_auction|n|" + Types.BIGINT + "|BIGINT|19|0|0|2|NO",
                "per_auction|total|" + Types.BIGINT + "|BIGINT|19|0|1|3|YES");
      }
      try (ResultSet rs = md.getColumns(null, null, "bids", null)) {
        assertThat(rows(rs, "COLUMN_NAME", "DATA_TYPE", "DECIMAL_DIGITS")).containsExactly(
            "auction|" + Types.BIGINT + "|0", "price|" + Types.BIGINT + "|0", "date_time|" + Types.TIMESTAMP + "|3");
      }
      try (ResultSet rs = md.getColumns(null, null, "items", "cat%")) {
        assertThat(rows(rs, "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "NULLABLE")).containsExactly(
            "category|" + Types.VARCHAR + "|VARCHAR|1");
      }

      // A view's GROUP BY keys are its primary key, ordered by COLUMN_NAME as JDBC asks.
      try (ResultSet rs = md.getPrimaryKeys("dstream", "default", "per_price")) {
        ResultSetMetaData rsmd = rs.getMetaData();
        assertThat(labels(rsmd)).containsExactly(
            "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "KEY_SEQ", "PK_NAME");
        assertThat(rsmd.getColumnType(5)).isEqualTo(Types.SMALLINT);
        assertThat(rows(rs, "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "KEY_SEQ", "PK_NAME"))
            .containsExactly("dstream|default|per_price|auction|2|per_price_pk",
                "dstream|default|per_price|price|1|per_price_pk");
      }
      try (ResultSet rs = md.getPrimaryKeys(null, null, "per_auction")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getShort("KEY_SEQ")).isEqualTo((short) 1);
        assertThat(rs.getString(4)).isEqualTo("auction");
        assertThat(rs.next()).isFalse();
      }
      // Streams and tables have none; nor have unknown names or other catalogs and schemas.
      for (String table : List.of("bids", "items", "nothing", "per%")) {
        try (ResultSet rs = md.getPrimaryKeys(null, null, table)) {
          assertThat(rs.next()).as(table).isFalse();
        }
      }
      try (ResultSet rs = md.getPrimaryKeys("elsewhere", null, "per_price")) {
        assertThat(rs.next()).isFalse();
      }
      try (ResultSet rs = md.getPrimaryKeys(null, "other", "per_price")) {
        assertThat(rs.next()).isFalse();
      }

      try (ResultSet rs = md.getTypeInfo()) {
        List<String> types = rows(rs, "TYPE_NAME", "DATA_TYPE");
        assertThat(types).contains("BIGINT|" + Types.BIGINT, "VARCHAR|" + Types.VARCHAR,
            "TIMESTAMP|" + Types.TIMESTAMP, "DECIMAL|" + Types.DECIMAL, "BOOLEAN|" + Types.BOOLEAN);
      }

      // Built-in functions and the CREATE FUNCTION one.
      try (ResultSet rs = md.getFunctions(null, null, "%")) {
        ResultSetMetaData rsmd = rs.getMetaData();
        assertThat(labels(rsmd)).containsExactly(
            "FUNCTION_CAT", "FUNCTION_SCHEM", "FUNCTION_NAME", "REMARKS", "FUNCTION_TYPE", "SPECIFIC_NAME");
        assertThat(rsmd.getColumnType(5)).isEqualTo(Types.SMALLINT);
        List<String> names = rows(rs, "FUNCTION_NAME");
        assertThat(names).contains("bucket", "COUNT", "SUM", "TUMBLE", "UPPER");
        assertThat(names).isSortedAccordingTo(String.CASE_INSENSITIVE_ORDER);
      }
      try (ResultSet rs = md.getFunctions("dstream", "default", "B%")) {
        assertThat(rows(rs, "FUNCTION_CAT", "FUNCTION_SCHEM", "FUNCTION_NAME", "REMARKS", "FUNCTION_TYPE",
            "SPECIFIC_NAME")).containsExactly("dstream|default|bucket|user function (BIGINT, BIGINT) -> BIGINT|"
                + DatabaseMetaData.functionResultUnknown + "|bucket (BIGINT, BIGINT) -> BIGINT");
      }
      try (ResultSet rs = md.getFunctions(null, null, "TUMBLE%")) {
        assertThat(rows(rs, "FUNCTION_NAME", "REMARKS")).containsExactly(
            "TUMBLE|built-in", "TUMBLE_END|built-in", "TUMBLE_START|built-in");
      }
      try (ResultSet rs = md.getFunctions(null, "other", "%")) {
        assertThat(rs.next()).isFalse();
      }

      try (PreparedStatement ps = c.prepareStatement(
          "SELECT auction, n FROM per_auction WHERE n > ? ORDER BY auction")) {
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
      // Closing the metadata result sets closed their statements on the server too.
      assertThat(server.meta().openStatementCount()).isZero();
    }
  }

  @Test
  void thePlainAvaticaDriverStillBrowsesAndQueries() throws Exception {
    assertThat(DriverManager.getDriver(server.url())).isExactlyInstanceOf(org.apache.calcite.avatica.remote.Driver.class);
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
    try (ResultSet rs = md.getTables(null, null, "%", new String[] {"STREAM", "TABLE", "VIEW"})) {
      assertThat(rows(rs, "TABLE_NAME", "TABLE_TYPE")).containsExactly(
          "bids|STREAM", "items|TABLE", "per_auction|VIEW", "per_price|VIEW");
    }
    try (ResultSet rs = md.getColumns("dstream", "default", "per_auction", "%")) {
      assertThat(rows(rs, "COLUMN_NAME", "DATA_TYPE")).containsExactly(
          "auction|" + Types.BIGINT, "n|" + Types.BIGINT, "total|" + Types.BIGINT);
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
      assertThat(rows(rs, "TYPE_NAME")).contains("BIGINT", "VARCHAR");
    }

    try (PreparedStatement ps = connection.prepareStatement("SELECT auction, n FROM per_auction WHERE n > ? ORDER BY"
        + " auction")) {
      assertThat(ps.getParameterMetaData().getParameterType(1)).isEqualTo(Types.BIGINT);
      ps.setLong(1, 1);
      assertThat(rows(ps.executeQuery(), "auction", "n")).containsExactly("1|2", "3|4");
    }
  }

  /** The server's DESCRIBE of a view numbers its key columns (what getPrimaryKeys reads). */
  @Test
  void describeOfAViewTellsEachColumnsKeyPosition() throws Exception {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("DESCRIBE per_price")) {
      assertThat(rows(rs, "column_name", "type", "nullable", "key_seq")).containsExactly(
          "price|BIGINT|YES|1", "auction|BIGINT|YES|2", "n|BIGINT|NO|null");
    }
  }

  private static List<String> labels(ResultSetMetaData rsmd) throws SQLException {
    List<String> labels = new ArrayList<>();
    for (int i = 1; i <= rsmd.getColumnCount(); i++) {
      labels.add(rsmd.getColumnLabel(i));
    }
    return labels;
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
    // The plain driver: prepared, and refused with the reason at execute (JdbcClientErrorsTest).
    try (PreparedStatement ps = connection.prepareStatement("SELECT STREAM auction FROM bids WHERE price > ?")) {
      ps.setLong(1, 1);
      assertThatThrownBy(ps::executeQuery)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("parameters (?) are supported in pull queries on materialized views only");
    }
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

package io.dstream.jdbcserver.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.jdbcserver.meta.FakeEngine.FakePushStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * End to end through the Avatica remote driver against a scripted engine.
 *
 * <p>The remote driver's {@code executeQuery} returns only once the first row (or the end) has
 * arrived, so push-query tests put a first row in the queue before executing.
 */
@Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
class JdbcServerTest {
  private FakeEngine engine;
  private JdbcServer server;
  private Connection connection;

  @BeforeEach
  void start() throws SQLException {
    engine = new FakeEngine();
    server = JdbcServer.start(engine, "127.0.0.1", 0);
    connection = DriverManager.getConnection(server.url());
  }

  @AfterEach
  void stop() {
    try {
      connection.close();
    } catch (SQLException | RuntimeException e) {
      // Expected after a test stopped the server first.
    } finally {
      server.close();
    }
  }

  @Test
  void serverBindsTheGivenHostOnARandomPort() {
    assertThat(server.port()).isPositive();
    assertThat(server.url())
        .isEqualTo("jdbc:avatica:remote:url=http://127.0.0.1:" + server.port() + ";serialization=protobuf");
  }

  @Test
  void ddlReturnsAnUpdateCountAndNoResultSet() throws SQLException {
    try (Statement statement = connection.createStatement()) {
      assertThat(statement.execute("CREATE STREAM s (a BIGINT) WITH (connector='nexmark')")).isFalse();
      assertThat(statement.getUpdateCount()).isZero();
      assertThat(statement.executeUpdate("DROP STREAM s")).isZero();
    }
    assertThat(engine.executed).containsExactly("CREATE STREAM s (a BIGINT) WITH (connector='nexmark')", "DROP STREAM s");
  }

  @Test
  void finiteResultReturnsAllRows() throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SHOW STREAMS")) {
      ResultSetMetaData md = rs.getMetaData();
      assertThat(md.getColumnCount()).isEqualTo(2);
      assertThat(md.getColumnLabel(1)).isEqualTo("name");
      assertThat(md.getColumnType(1)).isEqualTo(Types.VARCHAR);
      assertThat(md.isNullable(1)).isEqualTo(ResultSetMetaData.columnNoNulls);
      assertThat(rows(rs)).containsExactly("bids|STREAM", "prices|TABLE", "top_bids|VIEW");
    }
  }

  @Test
  void maxRowsTrimsAFiniteResult() throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.setMaxRows(2);
      try (ResultSet rs = statement.executeQuery("SHOW STREAMS")) {
        assertThat(rows(rs)).containsExactly("bids|STREAM", "prices|TABLE");
      }
    }
  }

  @Test
  void pushQueryRowsArriveAsTheyAreProduced() throws Exception {
    engine.pushRows.put(bid(1));
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT STREAM * FROM bids")) {
      assertThat(rs.getMetaData().getColumnLabel(2)).isEqualTo("bids");
      // Row i + 1 is produced only after row i - 1 was read, so the client can only get it
      // from a fetch issued while the query runs. (The remote driver reads one row ahead:
      // next() returns row i once row i + 1 or the end has arrived.)
      for (int i = 1; i <= 4; i++) {
        engine.pushRows.put(i < 4 ? bid(i + 1) : FakeEngine.END);
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong("bids")).isEqualTo(i);
        assertThat(rs.getString("channel")).isEqualTo("Google");
      }
      assertThat(rs.next()).isFalse();
    }
    assertThat(engine.streams.get(0).isClosed()).isTrue();
  }

  @Test
  void maxRowsStopsAPushQuery() throws Exception {
    try (Statement statement = connection.createStatement()) {
      statement.setMaxRows(2);
      engine.pushRows.put(bid(1));
      try (ResultSet rs = statement.executeQuery("SELECT STREAM * FROM bids")) {
        FakePushStream stream = engine.awaitStream();
        engine.pushRows.put(bid(2));
        engine.pushRows.put(bid(3));
        assertThat(rs.next()).isTrue();
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(2)).isEqualTo(2);
        assertThat(rs.next()).isFalse();
        assertThat(stream.closed.await(10, TimeUnit.SECONDS)).isTrue();
      }
    }
  }

  @Test
  void closingTheStatementStopsThePushQuery() throws Exception {
    Statement statement = connection.createStatement();
    engine.pushRows.put(bid(1));
    statement.executeQuery("SELECT STREAM * FROM bids");
    FakePushStream stream = engine.awaitStream();
    assertThat(stream.isClosed()).isFalse();
    statement.close();
    assertThat(stream.closed.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(server.meta().openStatementCount()).isZero();
  }

  @Test
  void closingTheResultSetOfACloseOnCompletionStatementStopsThePushQuery() throws Exception {
    Statement statement = connection.createStatement();
    statement.closeOnCompletion();
    engine.pushRows.put(bid(1));
    ResultSet rs = statement.executeQuery("SELECT STREAM * FROM bids");
    FakePushStream stream = engine.awaitStream();
    rs.close();
    assertThat(stream.closed.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void closingTheConnectionStopsItsPushQueries() throws Exception {
    Statement statement = connection.createStatement();
    engine.pushRows.put(bid(1));
    statement.executeQuery("SELECT STREAM * FROM bids");
    FakePushStream stream = engine.awaitStream();
    connection.close();
    assertThat(stream.closed.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void reExecutingAStatementStopsItsPreviousPushQuery() throws Exception {
    try (Statement statement = connection.createStatement()) {
      engine.pushRows.put(bid(1));
      statement.executeQuery("SELECT STREAM * FROM bids");
      FakePushStream first = engine.awaitStream();
      statement.executeQuery("SHOW STREAMS").close();
      assertThat(first.closed.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void closingTheServerStopsOpenPushQueries() throws Exception {
    Statement statement = connection.createStatement();
    engine.pushRows.put(bid(1));
    statement.executeQuery("SELECT STREAM * FROM bids");
    FakePushStream stream = engine.awaitStream();
    server.close();
    assertThat(stream.closed.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void engineErrorBecomesSqlExceptionWithMessageAndSqlState() throws SQLException {
    try (Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.execute("BAD STATEMENT"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("Encountered \"BAD\" at line 1, column 1")
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42000"));
      // The connection stays usable.
      assertThat(statement.execute("SHOW STREAMS")).isTrue();
    }
  }

  @Test
  void unexpectedEngineFailureIsAnInternalError() throws SQLException {
    try (Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.execute("BOOM"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("a bug")
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("XX000"));
    }
  }

  @Test
  void valuesOfEveryKindRoundTrip() throws SQLException {
    // Time zones: see TimestampClientTest, which runs clients in other zones.
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT TYPES")) {
      ResultSetMetaData md = rs.getMetaData();
      assertThat(rs.next()).isTrue();

      assertThat(rs.getBoolean("b")).isTrue();
      assertThat(md.getColumnType(2)).isEqualTo(Types.INTEGER);
      assertThat(md.getColumnClassName(2)).isEqualTo(Integer.class.getName());
      assertThat(rs.getObject("i")).isEqualTo(42);
      assertThat(rs.getInt("i")).isEqualTo(42);
      assertThat(rs.getLong("i")).isEqualTo(42L);
      assertThat(rs.getObject("l")).isEqualTo(9_000_000_000L);
      assertThat(rs.getInt("si")).isEqualTo(7);

      assertThat(md.getColumnType(4)).isEqualTo(Types.DECIMAL);
      assertThat(md.getColumnTypeName(4)).isEqualTo("DECIMAL");
      assertThat(md.getPrecision(4)).isEqualTo(10);
      assertThat(md.getScale(4)).isEqualTo(2);
      assertThat(rs.getBigDecimal("d")).isEqualByComparingTo(new BigDecimal("12.34"));
      assertThat(rs.getObject("d")).isInstanceOf(BigDecimal.class);
      assertThat(rs.getString("d")).isEqualTo("12.34");

      assertThat(rs.getFloat("r")).isEqualTo(1.5f);
      assertThat(rs.getDouble("f")).isEqualTo(2.25d);
      assertThat(rs.getString("s")).isEqualTo("héllo");

      assertThat(md.getColumnType(8)).isEqualTo(Types.TIMESTAMP);
      assertThat(md.getColumnTypeName(8)).isEqualTo("TIMESTAMP");
      assertThat(rs.getString("ts")).isEqualTo("2026-01-01 00:00:10.000");
      Timestamp local = rs.getTimestamp("ts");
      assertThat(local.toLocalDateTime()).isEqualTo(LocalDateTime.of(2026, 1, 1, 0, 0, 10));
      assertThat(rs.getObject("ts")).isEqualTo(local);
      Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
      assertThat(rs.getTimestamp("ts", utc).getTime()).isEqualTo(FakeEngine.TEN_SECONDS_INTO_2026);

      assertThat(rs.getDate("dt").toLocalDate()).hasToString("2026-01-01");
      assertThat(rs.getString("dt")).isEqualTo("2026-01-01");
      assertThat(rs.getString("tm")).isEqualTo("01:01:01");

      assertThat(rs.getObject("n")).isNull();
      assertThat(rs.getInt("n")).isZero();
      assertThat(rs.wasNull()).isTrue();
      assertThat(rs.next()).isFalse();
    }
  }

  @Test
  void pushedTimestampsReadTheSameAsFiniteOnes() throws Exception {
    engine.pushRows.put(new Object[] {FakeEngine.TEN_SECONDS_INTO_2026, 5L, null});
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT STREAM * FROM bids")) {
      engine.pushRows.put(FakeEngine.END);
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("2026-01-01 00:00:10.000");
      assertThat(rs.getString(3)).isNull();
    }
  }

  @Test
  void preparedStatementsRunAtExecuteTime() throws SQLException {
    try (PreparedStatement show = connection.prepareStatement("SHOW STREAMS");
        ResultSet rs = show.executeQuery()) {
      assertThat(rs.getMetaData().getColumnCount()).isEqualTo(2);
      assertThat(rows(rs)).hasSize(3);
    }
    try (PreparedStatement create = connection.prepareStatement("CREATE STREAM t (a BIGINT)")) {
      assertThat(create.executeUpdate()).isZero();
    }
  }

  @Test
  void batchesReturnOneUpdateCountPerStatement() throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.addBatch("CREATE STREAM a (x BIGINT)");
      statement.addBatch("CREATE STREAM b (x BIGINT)");
      assertThat(statement.executeBatch()).containsExactly(0, 0);
    }
    assertThat(engine.executed).containsExactly("CREATE STREAM a (x BIGINT)", "CREATE STREAM b (x BIGINT)");
  }

  @Test
  void transactionCallsAreAccepted() throws SQLException {
    connection.commit();
    connection.rollback();
    assertThat(connection.getAutoCommit()).isTrue();
  }

  @Test
  void metadataListsCatalogSchemaAndTableTypes() throws SQLException {
    DatabaseMetaData md = connection.getMetaData();
    try (ResultSet rs = md.getCatalogs()) {
      assertThat(column(rs, "TABLE_CAT")).containsExactly("dstream");
    }
    try (ResultSet rs = md.getSchemas()) {
      assertThat(rows(rs, "TABLE_CATALOG", "TABLE_SCHEM")).containsExactly("dstream|default");
    }
    try (ResultSet rs = md.getSchemas(null, "def%")) {
      assertThat(column(rs, "TABLE_SCHEM")).containsExactly("default");
    }
    try (ResultSet rs = md.getSchemas(null, "other")) {
      assertThat(rs.next()).isFalse();
    }
    try (ResultSet rs = md.getTableTypes()) {
      assertThat(column(rs, "TABLE_TYPE")).containsExactly("STREAM", "TABLE", "VIEW");
    }
  }

  @Test
  void metadataListsTablesByPatternAndType() throws SQLException {
    DatabaseMetaData md = connection.getMetaData();
    try (ResultSet rs = md.getTables(null, null, "%", null)) {
      assertThat(rows(rs, "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE"))
          .containsExactly("dstream|default|bids|STREAM", "dstream|default|prices|TABLE", "dstream|default|top_bids|VIEW");
    }
    try (ResultSet rs = md.getTables(null, null, "%", new String[] {"VIEW"})) {
      assertThat(column(rs, "TABLE_NAME")).containsExactly("top_bids");
    }
    try (ResultSet rs = md.getTables("dstream", "default", "b_d%", new String[] {"STREAM", "VIEW"})) {
      assertThat(column(rs, "TABLE_NAME")).containsExactly("bids");
    }
    // Tools that ask for TABLE and VIEW only do not see streams.
    try (ResultSet rs = md.getTables(null, null, "%", new String[] {"TABLE", "VIEW"})) {
      assertThat(column(rs, "TABLE_NAME")).containsExactly("prices", "top_bids");
    }
    try (ResultSet rs = md.getTables("elsewhere", null, "%", null)) {
      assertThat(rs.next()).isFalse();
    }
  }

  @Test
  void metadataListsColumnsWithTheirTypes() throws SQLException {
    DatabaseMetaData md = connection.getMetaData();
    try (ResultSet rs = md.getColumns(null, null, "bids", null)) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(
            String.join(
                "|",
                rs.getString("TABLE_NAME"),
                rs.getString("COLUMN_NAME"),
                String.valueOf(rs.getInt("DATA_TYPE")),
                rs.getString("TYPE_NAME"),
                String.valueOf(rs.getObject("COLUMN_SIZE")),
                String.valueOf(rs.getObject("DECIMAL_DIGITS")),
                String.valueOf(rs.getInt("NULLABLE")),
                String.valueOf(rs.getInt("ORDINAL_POSITION")),
                rs.getString("IS_NULLABLE")));
      }
      assertThat(rows)
          .containsExactly(
              "bids|auction|" + Types.BIGINT + "|BIGINT|19|0|1|1|YES",
              "bids|price|" + Types.DECIMAL + "|DECIMAL|10|2|1|2|YES",
              "bids|channel|" + Types.VARCHAR + "|VARCHAR|" + Integer.MAX_VALUE + "|null|1|3|YES",
              "bids|date_time|" + Types.TIMESTAMP + "|TIMESTAMP|23|3|0|4|NO");
    }
    try (ResultSet rs = md.getColumns(null, null, "%", "auction")) {
      assertThat(column(rs, "TABLE_NAME")).containsExactly("bids", "top_bids");
    }
  }

  @Test
  void metadataWithoutContentIsEmptyNotAnError() throws SQLException {
    DatabaseMetaData md = connection.getMetaData();
    try (ResultSet rs = md.getPrimaryKeys(null, null, "bids")) {
      assertThat(rs.getMetaData().getColumnLabel(4)).isEqualTo("COLUMN_NAME");
      assertThat(rs.next()).isFalse();
    }
    try (ResultSet rs = md.getFunctions(null, null, "%")) {
      assertThat(rs.next()).isFalse();
    }
    try (ResultSet rs = md.getImportedKeys(null, null, "bids")) {
      assertThat(rs.next()).isFalse();
    }
    try (ResultSet rs = md.getTypeInfo()) {
      List<String> names = column(rs, "TYPE_NAME");
      assertThat(names).contains("BIGINT", "VARCHAR", "TIMESTAMP", "DECIMAL");
    }
  }

  private static Object[] bid(int i) {
    return new Object[] {FakeEngine.TEN_SECONDS_INTO_2026 + i * 1000L, (long) i, "Google"};
  }

  private static List<String> rows(ResultSet rs) throws SQLException {
    int columns = rs.getMetaData().getColumnCount();
    List<String> rows = new ArrayList<>();
    while (rs.next()) {
      List<String> values = new ArrayList<>();
      for (int i = 1; i <= columns; i++) {
        values.add(rs.getString(i));
      }
      rows.add(String.join("|", values));
    }
    return rows;
  }

  private static List<String> rows(ResultSet rs, String... labels) throws SQLException {
    List<String> rows = new ArrayList<>();
    while (rs.next()) {
      List<String> values = new ArrayList<>();
      for (String label : labels) {
        values.add(rs.getString(label));
      }
      rows.add(String.join("|", values));
    }
    return rows;
  }

  private static List<String> column(ResultSet rs, String label) throws SQLException {
    List<String> values = new ArrayList<>();
    while (rs.next()) {
      values.add(rs.getString(label));
    }
    return values;
  }
}

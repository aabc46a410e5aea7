package io.dstream.sqltests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.time.ManualClock;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import io.dstream.jdbcserver.meta.JdbcServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a JDBC client is told when a statement cannot run, through a real server, over the DStream
 * driver ({@code jdbc:dstream:}) and the plain Avatica remote driver: the server's reason is in
 * {@code getMessage()} (at prepare for the DStream driver, at execute for the plain one),
 * unset and mistyped {@code ?} parameters are named, a push query's failure comes out of
 * {@code ResultSet.next()} as a SQLException; and getColumns reports JDBC's sizes.
 */
@Timeout(60)
class JdbcClientErrorsTest {
  private static final String PARAMETERS_ONLY_IN_PULL_QUERIES =
      "Statement parameters (?) are supported in pull queries on materialized views only";

  private ManualClock clock;
  private Engine engine;
  private JdbcServer server;
  private Connection dstream;
  private Connection plain;

  @BeforeEach
  void start() throws Exception {
    clock = new ManualClock(0);
    engine = new Engine(new EngineConfig(2, 1, 1000, clock).withPushBufferRows(5));
    server = JdbcServer.start(engine, "127.0.0.1", 0);
    dstream = DriverManager.getConnection(server.driverUrl());
    plain = DriverManager.getConnection(server.url());
    try (Statement s = plain.createStatement()) {
      s.execute("CREATE STREAM bids (auction BIGINT, price BIGINT, date_time TIMESTAMP(3),"
          + " WATERMARK FOR date_time AS date_time - INTERVAL '1' SECOND) WITH (connector = 'memory')");
      s.execute("CREATE MATERIALIZED VIEW per_auction AS"
          + " SELECT STREAM auction, COUNT(*) AS n, SUM(price) AS total FROM bids GROUP BY auction");
    }
    engine.memoryLog("bids").appendCsv("1,10,2026-01-01 00:00:01.000", "1,20,2026-01-01 00:00:02.000",
        "2,5,2026-01-01 00:00:02.000", "3,7,2026-01-01 00:00:03.000");
    batch();
  }

  @AfterEach
  void stop() throws Exception {
    dstream.close();
    plain.close();
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
  void theDStreamDriverReportsWhyAPrepareFailsAtPrepare() {
    assertThatThrownBy(() -> dstream.prepareStatement("SELECT STREAM * FROM bids WHERE price > ?"))
        .isInstanceOf(SQLException.class)
        .hasMessage("Error 1 (0A000) : Error while preparing SQL \"SELECT STREAM * FROM bids WHERE price > ?\": "
            + "Remote driver error: " + PARAMETERS_ONLY_IN_PULL_QUERIES)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"));
    // A syntax error is also reported when the statement is prepared.
    assertThatThrownBy(() -> dstream.prepareStatement("SELECT auction FROM bids WHERE price > ? AND"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("Syntax error at line 1");
    assertThat(server.meta().openStatementCount()).isZero();
  }

  @Test
  void thePlainDriverReportsWhyAtExecute() throws Exception {
    // Avatica's connection would replace a prepare error's message with "while preparing SQL";
    // the server prepares such a statement (one untyped parameter per ?) and fails each execution.
    try (PreparedStatement ps = plain.prepareStatement("SELECT STREAM * FROM bids WHERE price > ?")) {
      assertThat(ps.getParameterMetaData().getParameterCount()).isEqualTo(1);
      ps.setLong(1, 5);
      assertThatThrownBy(ps::executeQuery)
          .isInstanceOf(SQLException.class)
          .hasMessage("Error 1 (0A000) : Remote driver error: " + PARAMETERS_ONLY_IN_PULL_QUERIES)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"));
      assertThatThrownBy(ps::execute).hasMessageContaining(PARAMETERS_ONLY_IN_PULL_QUERIES);
    }
    // A pull query reading a stream is refused the same way, with its own reason.
    try (PreparedStatement ps = plain.prepareStatement("SELECT auction FROM bids WHERE price > ? AND auction <> ?")) {
      assertThat(ps.getParameterMetaData().getParameterCount()).isEqualTo(2);
      assertThatThrownBy(ps::executeQuery).hasMessageContaining("parameters (?)");
    }
    // Question marks in literals and comments are not parameters.
    try (PreparedStatement ps = plain.prepareStatement(
        "SELECT STREAM auction FROM bids /* ? */ WHERE CAST(auction AS VARCHAR) <> '?' AND price > ? -- ?\n")) {
      assertThat(ps.getParameterMetaData().getParameterCount()).isEqualTo(1);
    }
    assertThat(server.meta().openStatementCount()).isZero();
  }

  @Test
  void anUnsetParameterIsNamedOnBothDrivers() throws Exception {
    for (Connection c : List.of(dstream, plain)) {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT auction FROM per_auction WHERE n >= ? AND total > ? ORDER BY auction")) {
        ps.setLong(1, 1);
        assertThatThrownBy(ps::executeQuery)
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("parameter 2 is not set")
            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("07001"));
        ps.setLong(2, 6);
        assertThat(rows(ps.executeQuery())).containsExactly("1", "3");
        // setNull is a value: the comparison with NULL selects nothing.
        ps.setNull(2, Types.BIGINT);
        assertThat(rows(ps.executeQuery())).isEmpty();
        ps.clearParameters();
        assertThatThrownBy(ps::executeQuery).hasMessageContaining("parameter 1 is not set");
      }
    }
  }

  @Test
  void aParameterOfAnotherTypeIsConvertedWhenNothingIsLostElseNamed() throws Exception {
    for (Connection c : List.of(dstream, plain)) {
      try (PreparedStatement ps = c.prepareStatement("SELECT auction FROM per_auction WHERE total > ? ORDER BY auction")) {
        ps.setString(1, " 6 ");
        assertThat(rows(ps.executeQuery())).containsExactly("1", "3");
        ps.setDouble(1, 7.0);
        assertThat(rows(ps.executeQuery())).containsExactly("1");
        ps.setBigDecimal(1, new java.math.BigDecimal("29.00"));
        assertThat(rows(ps.executeQuery())).containsExactly("1");
        ps.setString(1, "abc");
        assertThatThrownBy(ps::executeQuery)
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("parameter 1 expects BIGINT, got VARCHAR 'abc'")
            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("22018"));
        ps.setDouble(1, 1.5);
        assertThatThrownBy(ps::executeQuery).hasMessageContaining("parameter 1 expects BIGINT, got DOUBLE 1.5");
        ps.setBoolean(1, true);
        assertThatThrownBy(ps::executeQuery).hasMessageContaining("parameter 1 expects BIGINT, got BOOLEAN true");
        ps.setString(1, "99999999999999999999");
        assertThatThrownBy(ps::executeQuery).hasMessageContaining("expects BIGINT, got VARCHAR '99999999999999999999'");
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT auction FROM per_auction WHERE CAST(auction AS VARCHAR) = ?")) {
        ps.setLong(1, 3);
        assertThat(rows(ps.executeQuery())).containsExactly("3");
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT auction FROM per_auction WHERE CAST(total AS DECIMAL(10, 2)) > ? ORDER BY auction")) {
        ps.setBigDecimal(1, new java.math.BigDecimal("6.50"));
        assertThat(rows(ps.executeQuery())).containsExactly("1", "3");
        ps.setBigDecimal(1, new java.math.BigDecimal("6.125")); // a third digit after the point: rounding
        assertThatThrownBy(ps::executeQuery).hasMessageContaining("parameter 1 expects DECIMAL");
        ps.setBigDecimal(1, new java.math.BigDecimal("123456789.5")); // too many digits before the point
        assertThatThrownBy(ps::executeQuery).hasMessageContaining("parameter 1 expects DECIMAL");
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT auction FROM per_auction WHERE TIMESTAMP '2026-01-01 00:00:00' >= ? ORDER BY auction")) {
        // setDate for a TIMESTAMP is midnight of that day: equal to the literal, and one day later is after it
        ps.setDate(1, new java.sql.Date(java.time.LocalDate.parse("2026-01-01").toEpochDay() * 86_400_000L));
        assertThat(rows(ps.executeQuery())).containsExactly("1", "2", "3");
        ps.setDate(1, new java.sql.Date(java.time.LocalDate.parse("2026-01-02").toEpochDay() * 86_400_000L));
        assertThat(rows(ps.executeQuery())).isEmpty();
      }
    }
  }

  @Test
  void aPushQueryStoppedForReadingTooSlowlyFailsNextWithASqlException() throws Exception {
    try (Statement s = dstream.createStatement();
        ResultSet rs = s.executeQuery("SELECT STREAM auction, price FROM bids WHERE auction >= 0")) {
      QueryExecution push = engine.driver().queries().stream()
          .filter(q -> q.sql().contains("auction >= 0")).findFirst().orElseThrow();
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        lines.add(i + ",1,2026-01-01 00:00:10.000");
      }
      engine.memoryLog("bids").appendCsv(lines.toArray(String[]::new));
      clock.advance(1000);
      // 20 rows overflow the buffer of 5: the query is stopped.
      assertThat(push.awaitTermination(30_000)).isTrue();
      assertThatThrownBy(() -> {
        while (rs.next()) {
          // Rows the server held before the query stopped, if any.
        }
      })
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("the buffer of 5 rows of this push query")
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("53000"));
    }
  }

  @Test
  void getColumnsReportsJdbcSizesAndStreamsAreNotSelectable() throws Exception {
    try (Statement s = plain.createStatement()) {
      s.execute("CREATE STREAM typed (b BOOLEAN, i INTEGER, n BIGINT, d DOUBLE, m DECIMAL(10, 2),"
          + " v VARCHAR(20), u VARCHAR, born DATE, t TIMESTAMP(3)) WITH (connector = 'memory')");
    }
    for (Connection c : List.of(dstream, plain)) {
      try (ResultSet rs = c.getMetaData().getColumns(null, null, "typed", "%")) {
        assertThat(rows(rs, "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "COLUMN_SIZE", "DECIMAL_DIGITS",
            "NUM_PREC_RADIX", "CHAR_OCTET_LENGTH")).containsExactly(
                "b|" + Types.BOOLEAN + "|BOOLEAN|1|null|null|null",
                "i|" + Types.INTEGER + "|INTEGER|10|0|10|null",
                "n|" + Types.BIGINT + "|BIGINT|19|0|10|null",
                "d|" + Types.DOUBLE + "|DOUBLE|15|null|10|null",
                "m|" + Types.DECIMAL + "|DECIMAL|10|2|10|null",
                "v|" + Types.VARCHAR + "|VARCHAR|20|null|null|20",
                "u|" + Types.VARCHAR + "|VARCHAR|" + Integer.MAX_VALUE + "|null|null|" + Integer.MAX_VALUE,
                "born|" + Types.DATE + "|DATE|10|null|null|null",
                "t|" + Types.TIMESTAMP + "|TIMESTAMP|23|3|null|null");
      }
      try (ResultSet rs = c.getMetaData().getTypeInfo()) {
        assertThat(rows(rs, "TYPE_NAME", "PRECISION")).contains("TIMESTAMP|23", "DATE|10", "BIGINT|19");
      }
    }
    // Streams are read with SELECT STREAM; the plain driver answers this from its own jar.
    assertThat(dstream.getMetaData().allTablesAreSelectable()).isFalse();
    assertThat(plain.getMetaData().allTablesAreSelectable()).isTrue();
  }

  private static List<String> rows(ResultSet rs) throws SQLException {
    return rows(rs, "auction");
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

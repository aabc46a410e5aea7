package io.dstream.parser;

import static io.dstream.parser.RoundTrip.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.parser.ddl.SqlCreateFunction;
import io.dstream.parser.ddl.SqlCreateStream;
import io.dstream.parser.ddl.SqlDropObject;
import io.dstream.parser.ddl.SqlExplainStream;
import io.dstream.parser.ddl.SqlShow;
import java.util.List;
import org.apache.calcite.sql.SqlDescribeTable;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class StatementParserTest {
  @ParameterizedTest
  @CsvSource({
      "DROP STREAM bids, STREAM, false, bids",
      "drop stream if exists bids, STREAM, true, bids",
      "DROP TABLE items, TABLE, false, items",
      "DROP TABLE IF EXISTS items, TABLE, true, items",
      "DROP MATERIALIZED VIEW mv, MATERIALIZED_VIEW, false, mv",
      "Drop Materialized View If Exists mv, MATERIALIZED_VIEW, true, mv",
      "DROP QUERY q3, QUERY, false, q3",
      "DROP QUERY IF EXISTS 'q3', QUERY, true, q3",
      "DROP QUERY \"Q 4\", QUERY, false, Q 4",
      "DROP FUNCTION bucket, FUNCTION, false, bucket",
      "drop function if exists Bucket, FUNCTION, true, Bucket",
  })
  void dropStatements(String sql, SqlDropObject.Kind kind, boolean ifExists, String name) {
    SqlDropObject node = (SqlDropObject) roundTrip(sql);
    assertThat(node.kind()).isEqualTo(kind);
    assertThat(node.ifExists()).isEqualTo(ifExists);
    assertThat(node.name().getSimple()).isEqualTo(name);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "CREATE FUNCTION bucket AS 'com.example.Bucket' | false | bucket | com.example.Bucket",
      "create function if not exists Bucket as 'a.B$C' | true | Bucket | a.B$C",
      "CREATE FUNCTION s.f AS 'x.Y' | false | f | x.Y",
  })
  void createFunction(String sql, boolean ifNotExists, String name, String className) {
    SqlCreateFunction node = (SqlCreateFunction) roundTrip(sql);
    assertThat(node.ifNotExists()).isEqualTo(ifNotExists);
    assertThat(node.simpleName()).isEqualTo(name);
    assertThat(node.className()).isEqualTo(className);
    assertThat(node.getKind()).isEqualTo(SqlKind.CREATE_FUNCTION);
  }

  @Test
  void createFunctionUnparses() {
    assertThat(StreamSqlParser.unparse(StreamSqlParser.parse(
        "create function if not exists bucket as 'com.example.Bucket'")))
        .isEqualTo("CREATE FUNCTION IF NOT EXISTS \"bucket\" AS 'com.example.Bucket'");
  }

  @Test
  void createFunctionNeedsAClassNameLiteral() {
    assertThatThrownBy(() -> StreamSqlParser.parse("CREATE FUNCTION f AS com.example.F"))
        .isInstanceOf(SqlParseFailure.class)
        .hasMessageStartingWith("Syntax error at line 1, column 22:");
  }

  @Test
  void onlyAQueryIdMayBeAStringLiteral() {
    assertThatThrownBy(() -> StreamSqlParser.parse("DROP STREAM 'bids'"))
        .isInstanceOf(SqlParseFailure.class)
        .hasMessageStartingWith("Syntax error at line 1, column 13:");
  }

  @ParameterizedTest
  @CsvSource({
      "SHOW STREAMS, STREAMS",
      "show tables, TABLES",
      "Show Queries, QUERIES",
      "SHOW VIEWS, VIEWS",
      "SHOW FUNCTIONS, FUNCTIONS",
  })
  void showStatements(String sql, SqlShow.Kind kind) {
    SqlShow node = (SqlShow) roundTrip(sql);
    assertThat(node.kind()).isEqualTo(kind);
    assertThat(node.toString()).isEqualTo("SHOW " + kind.name());
  }

  @Test
  void describeNameIsTheStockDescribeTable() {
    SqlDescribeTable node = (SqlDescribeTable) roundTrip("DESCRIBE bids");
    assertThat(node.getTable().getSimple()).isEqualTo("bids");
    assertThat(node.getColumn()).isNull();
  }

  @Test
  void describeStreamAndDescribeTableGiveTheSameNode() {
    SqlDescribeTable stream = (SqlDescribeTable) roundTrip("describe stream Bids");
    assertThat(stream.getTable().getSimple()).isEqualTo("Bids");
    SqlDescribeTable table = (SqlDescribeTable) roundTrip("DESCRIBE TABLE s1.bids");
    assertThat(table.getTable().names).containsExactly("s1", "bids");
  }

  @Test
  void plainExplainOfAStreamingQuery() {
    SqlExplainStream node = (SqlExplainStream) roundTrip(
        "EXPLAIN SELECT STREAM * FROM bids WHERE price > 10");
    assertThat(node.getKind()).isEqualTo(SqlKind.EXPLAIN);
    assertThat(node.statement()).isInstanceOf(SqlSelect.class);
    assertThat(node.toString()).startsWith("EXPLAIN");
    assertThat(node.toString()).doesNotContain("PLAN");
  }

  @Test
  void explainPlanForIsTheStockExplain() {
    SqlExplain node = (SqlExplain) roundTrip("EXPLAIN PLAN FOR SELECT STREAM * FROM bids");
    assertThat(node).isNotInstanceOf(SqlExplainStream.class);
    assertThat(node.getExplicandum()).isInstanceOf(SqlSelect.class);
    SqlExplain withOptions = (SqlExplain) roundTrip(
        "EXPLAIN PLAN EXCLUDING ATTRIBUTES WITHOUT IMPLEMENTATION AS JSON FOR SELECT 1");
    assertThat(withOptions.isJson()).isTrue();
    assertThat(withOptions.getDepth()).isEqualTo(SqlExplain.Depth.LOGICAL);
  }

  @Test
  void explainOfACreateStreamAsQuery() {
    SqlExplainStream node = (SqlExplainStream) roundTrip(
        "EXPLAIN CREATE STREAM big AS SELECT STREAM * FROM bids");
    assertThat(node.statement()).isInstanceOf(SqlCreateStream.class);
  }

  @Test
  void explainOfAQueryOverAColumnNamedPlan() {
    SqlExplainStream node = (SqlExplainStream) roundTrip("EXPLAIN SELECT plan FROM t");
    assertThat(node.statement()).isInstanceOf(SqlSelect.class);
  }

  @Test
  void insertValuesStillParses() {
    SqlInsert node = (SqlInsert) roundTrip("INSERT INTO s VALUES (1, 'a'), (2, 'b')");
    assertThat(((SqlIdentifier) node.getTargetTable()).getSimple()).isEqualTo("s");
    assertThat(node.getSource().getKind()).isEqualTo(SqlKind.VALUES);
  }

  @Test
  void trailingSemicolonIsAccepted() {
    assertThat(StreamSqlParser.parse("SHOW STREAMS;")).isInstanceOf(SqlShow.class);
  }

  @Test
  void scriptParsesIntoStatementsInOrder() {
    List<SqlNode> nodes = StreamSqlParser.parseList("""
        CREATE STREAM bids (rowtime TIMESTAMP(3), price INT) WITH ('connector' = 'datagen');
        SHOW STREAMS;
        SELECT STREAM * FROM bids;
        DROP STREAM bids;
        """);
    assertThat(nodes).hasSize(4);
    assertThat(nodes.get(0)).isInstanceOf(SqlCreateStream.class);
    assertThat(nodes.get(1)).isInstanceOf(SqlShow.class);
    assertThat(nodes.get(2)).isInstanceOf(SqlSelect.class);
    assertThat(nodes.get(3)).isInstanceOf(SqlDropObject.class);
  }

  @Test
  void parseRejectsTwoStatements() {
    assertThatThrownBy(() -> StreamSqlParser.parse("SHOW STREAMS;\nSHOW TABLES"))
        .isInstanceOf(SqlParseFailure.class)
        .hasMessage("Syntax error at line 2, column 1: Expected one statement but found 2");
  }

  @Test
  void parseRejectsEmptyInput() {
    assertThatThrownBy(() -> StreamSqlParser.parse("  "))
        .isInstanceOf(SqlParseFailure.class)
        .hasMessageContaining("Empty statement");
  }
}

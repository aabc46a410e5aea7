package io.dstream.parser;

import static io.dstream.parser.RoundTrip.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.dstream.parser.ddl.SqlColumn;
import io.dstream.parser.ddl.SqlCreateMaterializedView;
import io.dstream.parser.ddl.SqlCreateStream;
import io.dstream.parser.ddl.SqlWatermark;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.Test;

class CreateStreamParserTest {
  @Test
  void sourceStreamWithColumnsWatermarkAndOptions() {
    SqlCreateStream node = (SqlCreateStream) roundTrip("""
        CREATE STREAM IF NOT EXISTS bids (
          rowtime TIMESTAMP(3) NOT NULL,
          item VARCHAR,
          price DECIMAL(10, 2),
          WATERMARK FOR rowtime AS rowtime - INTERVAL '5' SECOND
        ) WITH ('connector' = 'datagen', 'event.rate' = '100')""");

    assertThat(node.isTable()).isFalse();
    assertThat(node.isDerived()).isFalse();
    assertThat(node.ifNotExists()).isTrue();
    assertThat(node.getReplace()).isFalse();
    assertThat(node.name().getSimple()).isEqualTo("bids");
    assertThat(node.columns()).extracting(SqlColumn::simpleName)
        .containsExactly("rowtime", "item", "price");
    SqlColumn rowtime = node.columns().get(0);
    assertThat(rowtime.nullable()).isFalse();
    assertThat(rowtime.type().getNullable()).isFalse();
    assertThat(rowtime.type().getTypeName().getSimple()).isEqualTo("TIMESTAMP");
    assertThat(node.columns().get(1).nullable()).isTrue();
    assertThat(node.options()).containsExactly(
        entry("connector", "datagen"), entry("event.rate", "100"));
    assertThat(node.query()).isEmpty();

    SqlWatermark watermark = node.watermark().orElseThrow();
    assertThat(watermark.column().getSimple()).isEqualTo("rowtime");
    SqlIntervalLiteral delay = (SqlIntervalLiteral) watermark.delay().orElseThrow();
    assertThat(delay.toString()).isEqualTo("INTERVAL '5' SECOND");
  }

  @Test
  void keywordsAreCaseInsensitiveAndIdentifiersKeepTheirCase() {
    SqlCreateStream node = (SqlCreateStream) roundTrip(
        "create Stream iF nOt ExIsTs Bids (RowTime timestamp(3) not null, "
            + "watermark for RowTime as RowTime - interval '1' second) with (Connector = 'x')");
    assertThat(node.name().getSimple()).isEqualTo("Bids");
    assertThat(node.columns().get(0).simpleName()).isEqualTo("RowTime");
    assertThat(node.options()).containsExactly(entry("connector", "x"));
    assertThat(StreamSqlParser.unparse(node.optionList().get(0))).isEqualTo("\"Connector\"");
  }

  @Test
  void quotedIdentifiersMayBeKeywordsOrContainSpaces() {
    SqlCreateStream node = (SqlCreateStream) roundTrip(
        "CREATE STREAM \"My Stream\" (\"select\" INT, \"Ts\" TIMESTAMP(3))");
    assertThat(node.name().getSimple()).isEqualTo("My Stream");
    assertThat(node.columns()).extracting(SqlColumn::simpleName).containsExactly("select", "Ts");
    assertThat(node.watermark()).isEmpty();
    assertThat(node.optionList()).isEmpty();
    assertThat(node.options()).isEmpty();
  }

  @Test
  void qualifiedNameIsAccepted() {
    SqlCreateStream node = (SqlCreateStream) roundTrip("CREATE STREAM s1.bids (x INT)");
    assertThat(node.name().names).containsExactly("s1", "bids");
  }

  @Test
  void newKeywordsRemainUsableAsColumnNames() {
    SqlCreateStream node = (SqlCreateStream) roundTrip(
        "CREATE STREAM t (watermark INT, streams INT, \"if\" INT, materialized INT, query INT, "
            + "queries INT, tables INT, views INT, functions INT)");
    assertThat(node.columns()).hasSize(9);
    assertThat(node.columns().get(0).simpleName()).isEqualTo("watermark");
  }

  @Test
  void watermarkMayComeFirstAndMayBeTheBareColumn() {
    SqlCreateStream node = (SqlCreateStream) roundTrip(
        "CREATE STREAM s (WATERMARK FOR ts AS ts, ts TIMESTAMP(3), v BIGINT)");
    assertThat(node.columns()).hasSize(2);
    SqlWatermark watermark = node.watermark().orElseThrow();
    SqlIntervalLiteral delay = (SqlIntervalLiteral) watermark.delay().orElseThrow();
    assertThat(delay.getValueAs(SqlIntervalLiteral.IntervalValue.class).getIntervalLiteral())
        .isEqualTo("0");
    // The unparsed form puts the watermark after the columns.
    assertThat(StreamSqlParser.unparse(node)).contains("\"v\" BIGINT, WATERMARK FOR \"ts\" AS \"ts\")");
  }

  @Test
  void watermarkOfAnotherShapeIsParsedButHasNoDelay() {
    SqlCreateStream node = (SqlCreateStream) roundTrip(
        "CREATE STREAM s (ts TIMESTAMP(3), WATERMARK FOR ts AS ts + INTERVAL '1' MINUTE)");
    SqlWatermark watermark = node.watermark().orElseThrow();
    assertThat(watermark.expression().getKind()).isEqualTo(SqlKind.PLUS);
    assertThat(watermark.delay()).isEmpty();
  }

  @Test
  void secondWatermarkIsRejected() {
    assertThatThrownBy(() -> StreamSqlParser.parse(
        "CREATE STREAM s (ts TIMESTAMP(3), WATERMARK FOR ts AS ts,\n WATERMARK FOR ts AS ts)"))
        .isInstanceOf(SqlParseFailure.class)
        .hasMessage("Syntax error at line 2, column 16: A stream may declare only one WATERMARK");
  }

  @Test
  void columnListWithOnlyAWatermarkIsRejected() {
    assertThatThrownBy(() -> StreamSqlParser.parse("CREATE STREAM s (WATERMARK FOR ts AS ts)"))
        .isInstanceOf(SqlParseFailure.class)
        .hasMessageContaining("at least one column");
  }

  @Test
  void optionValuesMayBeStringsNumbersBooleansOrNames() {
    SqlCreateStream node = (SqlCreateStream) roundTrip(
        "CREATE STREAM s (x INT) WITH ('events' = 1000, events2 = '1000', Event.Rate = 2.5, "
            + "'neg' = -3, flag = TRUE, off = false, format = Json, 'it''s' = 'a ''q''')");
    assertThat(node.options()).containsExactly(
        entry("events", "1000"),
        entry("events2", "1000"),
        entry("event.rate", "2.5"),
        entry("neg", "-3"),
        entry("flag", "true"),
        entry("off", "false"),
        entry("format", "Json"),
        entry("it's", "a 'q'"));
  }

  @Test
  void duplicateOptionKeyIsRejectedIgnoringCase() {
    assertThatThrownBy(() -> StreamSqlParser.parse(
        "CREATE STREAM s (x INT) WITH ('Rate' = '1', rate = 2)"))
        .isInstanceOf(SqlParseFailure.class)
        .hasMessage("Syntax error at line 1, column 45: Duplicate option 'rate'");
  }

  @Test
  void derivedStreamHoldsItsQuery() {
    SqlCreateStream node = (SqlCreateStream) roundTrip("""
        CREATE STREAM IF NOT EXISTS big_bids WITH ('sink' = 'log')
        AS SELECT STREAM rowtime, item, price FROM bids WHERE price > 10""");
    assertThat(node.isDerived()).isTrue();
    assertThat(node.columns()).isEmpty();
    assertThat(node.watermark()).isEmpty();
    assertThat(node.options()).containsExactly(entry("sink", "log"));
    SqlSelect query = (SqlSelect) node.query().orElseThrow();
    assertThat(query.getModifierNode(org.apache.calcite.sql.SqlSelectKeyword.STREAM)).isNotNull();
  }

  @Test
  void derivedStreamWithoutOptions() {
    SqlCreateStream node = (SqlCreateStream) roundTrip(
        "CREATE OR REPLACE STREAM b2 AS SELECT STREAM * FROM bids");
    assertThat(node.getReplace()).isTrue();
    assertThat(node.ifNotExists()).isFalse();
    assertThat(node.query()).isPresent();
  }

  @Test
  void createTableIsAStreamNodeFlaggedAsTable() {
    SqlCreateStream node = (SqlCreateStream) roundTrip(
        "CREATE TABLE IF NOT EXISTS items (id BIGINT NOT NULL, name VARCHAR(20)) "
            + "WITH (connector = 'csv', path = '/tmp/items.csv')");
    assertThat(node.isTable()).isTrue();
    assertThat(node.getOperator().getName()).isEqualTo("CREATE TABLE");
    assertThat(StreamSqlParser.unparse(node)).startsWith("CREATE TABLE IF NOT EXISTS \"items\"");
    assertThat(node.options()).containsEntry("path", "/tmp/items.csv");
  }

  @Test
  void tableCannotBeDerivedFromAQuery() {
    assertThatThrownBy(() -> StreamSqlParser.parse("CREATE TABLE t AS SELECT * FROM s"))
        .isInstanceOf(SqlParseFailure.class)
        .hasMessageStartingWith("Syntax error at line 1, column 16: Encountered \"AS\"");
  }

  @Test
  void streamNeedsColumnsOrAQuery() {
    assertThatThrownBy(() -> StreamSqlParser.parse("CREATE STREAM s WITH ('a' = 'b')"))
        .isInstanceOf(SqlParseFailure.class)
        .hasMessage("Syntax error at line 1, column 32: Encountered \"<EOF>\". "
            + "Was expecting one of: \"AS\"");
  }

  @Test
  void materializedViewOverTumblingWindow() {
    SqlCreateMaterializedView node = (SqlCreateMaterializedView) roundTrip("""
        CREATE MATERIALIZED VIEW IF NOT EXISTS bid_counts AS
        SELECT STREAM TUMBLE_END(rowtime, INTERVAL '1' MINUTE) AS wend, item, COUNT(*) AS c
        FROM bids GROUP BY TUMBLE(rowtime, INTERVAL '1' MINUTE), item""");
    assertThat(node.ifNotExists()).isTrue();
    assertThat(node.name().getSimple()).isEqualTo("bid_counts");
    assertThat(node.options()).isEmpty();
    assertThat(node.query()).isInstanceOf(SqlSelect.class);
    assertThat(node.getKind()).isEqualTo(SqlKind.CREATE_MATERIALIZED_VIEW);
  }

  @Test
  void materializedViewWithoutIfNotExistsButWithOptions() {
    SqlCreateMaterializedView node = (SqlCreateMaterializedView) roundTrip(
        "create materialized view mv with ('retention' = 10) as select * from t");
    assertThat(node.ifNotExists()).isFalse();
    assertThat(node.options()).containsExactly(entry("retention", "10"));
  }

  @Test
  void columnTypesKeepPrecision() {
    SqlCreateStream node = (SqlCreateStream) roundTrip(
        "CREATE STREAM s (a DECIMAL(10, 2) NOT NULL, b VARCHAR(20), c DOUBLE, d BOOLEAN NULL)");
    SqlNode type = node.columns().get(0).type();
    assertThat(type.toString()).isEqualTo("DECIMAL(10, 2)");
    assertThat(node.columns().get(3).nullable()).isTrue();
    assertThat(node.columns().get(2).type().getTypeName().getSimple())
        .isEqualTo(SqlTypeName.DOUBLE.name());
  }
}

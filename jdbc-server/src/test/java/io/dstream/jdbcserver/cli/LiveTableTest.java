package io.dstream.jdbcserver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LiveTableTest {
  @Test
  void printsTheHeaderOnceAndOneAlignedLinePerRow() {
    RowType columns =
        RowType.of(
            new Column("window_end", DataType.of(DataType.Kind.TIMESTAMP)),
            new Column("bids", DataType.of(DataType.Kind.BIGINT)),
            new Column("channel", DataType.of(DataType.Kind.VARCHAR)));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    LiveTable table = new LiveTable(columns, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    table.printHeader();
    table.printRow(new Object[] {1_767_225_610_000L, 1234L, "Google"});
    table.printRow(new Object[] {1_767_225_612_000L, 7L, null});

    assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            "window_end              |     bids | channel",
            "------------------------+----------+-------------",
            "2026-01-01 00:00:10.000 |     1234 | Google",
            "2026-01-01 00:00:12.000 |        7 | NULL");
  }
}

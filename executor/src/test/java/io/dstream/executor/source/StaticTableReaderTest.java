package io.dstream.executor.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.codec.BatchCodec;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.plan.TableData;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticTableReaderTest {
  private static final RowType TYPE = new RowType(List.of(new Column("id", DataType.of(DataType.Kind.BIGINT)),
      new Column("name", DataType.of(DataType.Kind.VARCHAR))));

  @TempDir
  Path dir;

  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  private Source csv(Path path, String batchBytes) {
    return new CsvSourceFactory().create("items", TYPE, Map.of("connector", "csv", "path", path.toString(),
        "batch.bytes", batchBytes), null);
  }

  @Test
  void readsEveryRowAcrossFilesAndBatches() throws IOException {
    Files.writeString(dir.resolve("a.csv"), "1,one\n2,two\n");
    Files.writeString(dir.resolve("b.csv"), "3,three\n,none\n");
    TableData data = StaticTableReader.read("items", csv(dir, "8"), allocator);
    assertThat(data.rows()).isEqualTo(4);
    try (ColumnBatch rows = BatchCodec.decode(data.ipc(), allocator, TYPE)) {
      assertThat(rows.rowCount()).isEqualTo(4);
      assertThat(rows.strings(1).getObject(2).toString()).isEqualTo("three");
      assertThat(rows.longs(0).isNull(3)).isTrue();
    }
  }

  @Test
  void aTableOverTheRowLimitFailsWithAClearMessage() throws IOException {
    Path file = dir.resolve("big.csv");
    try (Writer out = Files.newBufferedWriter(file)) {
      for (int i = 0; i <= StaticTableReader.MAX_ROWS; i++) {
        out.write("1,\n");
      }
    }
    assertThatThrownBy(() -> StaticTableReader.read("items", csv(file, "16mb"), allocator))
        .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED))
        .hasMessageContaining("Table 'items' is too large to join with a stream: it has more than 1,000,000 rows")
        .hasMessageContaining("at most 1,000,000 rows and 128 MB");
  }
}

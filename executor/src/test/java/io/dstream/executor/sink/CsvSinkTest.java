package io.dstream.executor.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.batch.BatchBuilder;
import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.source.BatchRows;
import io.dstream.executor.source.CsvSourceFactory;
import io.dstream.executor.source.Source;
import io.dstream.executor.source.SourceMetrics;
import io.dstream.executor.time.ManualClock;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSinkTest {
  private static final RowType TYPE = RowType.of(
      new Column("id", DataType.of(DataType.Kind.BIGINT)),
      new Column("amount", DataType.decimal(10, 2)),
      new Column("ts", DataType.of(DataType.Kind.TIMESTAMP)),
      new Column("note", DataType.of(DataType.Kind.VARCHAR)),
      new Column("ratio", DataType.of(DataType.Kind.DOUBLE)),
      new Column("ok", DataType.of(DataType.Kind.BOOLEAN)));

  private final BufferAllocator allocator = new RootAllocator();

  @TempDir
  Path dir;

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  @Test
  void writesOneFilePerBatchAndIgnoresARecommit() throws IOException {
    Path out = dir.resolve("out");
    SinkFactory factory = new CsvSinkFactory();
    factory.validate("totals", TYPE, Map.of("path", out.toString()));
    Sink sink = factory.create("totals", TYPE, Map.of("connector", "csv", "path", out.toString()));
    try (ColumnBatch batch = batch(new Object[] {1L, 12345L, 1500L, "a, \"b\"", 0.5, true},
        new Object[] {2L, null, 0L, null, 100.0, false})) {
      sink.commit(7, batch);
    }
    Path file = out.resolve("batch-000000000007.csv");
    String expected = "1,123.45,1970-01-01 00:00:01.500,\"a, \"\"b\"\"\",0.5,true\n"
        + "2,,1970-01-01 00:00:00.000,,100.0,false\n";
    assertThat(Files.readString(file)).isEqualTo(expected);

    try (ColumnBatch again = batch(new Object[] {9L, 1L, 1L, "other", 1.0, true})) {
      sink.commit(7, again);
    }
    assertThat(Files.readString(file)).isEqualTo(expected);
    try (ColumnBatch empty = batch()) {
      sink.commit(8, empty);
    }
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("batch-000000000007.csv");
    }
  }

  @Test
  void outputReadsBackThroughTheCsvSource() {
    Path out = dir.resolve("out");
    Sink sink = new CsvSinkFactory().create("totals", TYPE, Map.of("path", out.toString()));
    try (ColumnBatch batch = batch(new Object[] {1L, -5L, 1500L, "a,\"b\"", 0.25, false},
        new Object[] {2L, null, 0L, "", -1.0, null})) {
      sink.commit(1, batch);
    }
    Source source = new CsvSourceFactory().create("totals", TYPE, Map.of("path", out.toString()),
        new ManualClock(0));
    List<List<Object>> rows = BatchRows.readAll(source, source.planBatch(0, 0, 1), allocator,
        new SourceMetrics());
    assertThat(rows).containsExactly(List.of(1L, -5L, 1500L, "a,\"b\"", 0.25, false),
        Arrays.asList(2L, null, 0L, "", -1.0, null));
  }

  @Test
  void validateRejectsMissingPathAndFiles() throws IOException {
    SinkFactory factory = new CsvSinkFactory();
    assertThatThrownBy(() -> factory.validate("totals", TYPE, Map.of()))
        .isInstanceOf(EngineException.class).hasMessageContaining("needs option 'path'");
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertThatThrownBy(() -> factory.validate("totals", TYPE, Map.of("path", file.toString())))
        .hasMessageContaining("must be a directory");
    assertThatThrownBy(() -> factory.validate("totals", TYPE, Map.of("path", "x", "format", "json")))
        .hasMessageContaining("Unknown option 'format'");
  }

  private ColumnBatch batch(Object[]... rows) {
    try (BatchBuilder builder = new BatchBuilder(TYPE, allocator)) {
      for (Object[] row : rows) {
        for (int c = 0; c < row.length; c++) {
          builder.setValue(c, row[c]);
        }
        builder.endRow();
      }
      return builder.build();
    }
  }
}

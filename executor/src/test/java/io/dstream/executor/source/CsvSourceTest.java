package io.dstream.executor.source;

import static io.dstream.executor.source.BatchRows.read;
import static io.dstream.executor.source.BatchRows.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.time.ManualClock;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import io.dstream.executor.type.Timestamps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSourceTest {
  private static final RowType BIDS = RowType.of(
      new Column("auction", DataType.of(DataType.Kind.BIGINT)),
      new Column("price", DataType.of(DataType.Kind.BIGINT)),
      new Column("channel", DataType.of(DataType.Kind.VARCHAR)),
      new Column("date_time", DataType.of(DataType.Kind.TIMESTAMP)));

  private final BufferAllocator allocator = new RootAllocator();
  private final SourceMetrics metrics = new SourceMetrics();
  private final CsvSourceFactory factory = new CsvSourceFactory();

  @TempDir
  Path dir;

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  @Test
  void readsAFileInOneBoundedBatch() throws IOException {
    Path file = write("bids.csv", "1,100,Google,2026-01-01 00:00:00.000\n2,250,Apple,2026-01-01 00:00:00.001\n");
    Source source = create(BIDS, Map.of("path", file.toString()));
    SourceBatch batch = source.planBatch(0, 0, 4);
    assertThat(batch.exhausted()).isTrue();
    assertThat(readAll(source, batch, allocator, metrics)).containsExactly(
        List.of(1L, 100L, "Google", Timestamps.parseMillis("2026-01-01 00:00:00")),
        List.of(2L, 250L, "Apple", Timestamps.parseMillis("2026-01-01 00:00:00.001")));
    SourceBatch after = source.planBatch(1, 0, 4);
    assertThat(after.splits()).isEmpty();
    assertThat(after.exhausted()).isTrue();
  }

  @Test
  void aSourceSoughtToAnotherOnesPositionPlansTheSameNextBatches() throws IOException {
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      rows.append(i).append(",10,Apple,2026-01-01 00:00:01\n");
    }
    write("a.csv", rows.toString());
    write("b.csv", rows.toString());
    Map<String, String> options = Map.of("path", dir.toString(), "batch.bytes", "1000");
    Source first = create(BIDS, options);
    for (int b = 0; b < 9; b++) {
      first.planBatch(b, 0, 2);
    }
    Source resumed = create(BIDS, options);
    resumed.seek(first.position().orElseThrow());
    for (int b = 9; b < 12; b++) {
      assertThat(resumed.planBatch(b, 0, 2)).isEqualTo(first.planBatch(b, 0, 2));
    }
    assertThat(resumed.position()).isEqualTo(first.position());
    assertThatThrownBy(() -> resumed.seek("garbage")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsADirectoryInNameOrderIgnoringHiddenAndUnderscoreFiles() throws IOException {
    write("b.csv", "2,20,Apple,2026-01-01 00:00:02\n");
    write("a.csv", "1,10,Apple,2026-01-01 00:00:01\n");
    write(".c.csv.tmp", "9,90,Apple,2026-01-01 00:00:09\n");
    write("_SUCCESS", "garbage\n");
    Source source = create(BIDS, Map.of("path", dir.toString()));
    SourceBatch batch = source.planBatch(0, 0, 4);
    assertThat(batch.exhausted()).isTrue();
    assertThat(readAll(source, batch, allocator, metrics)).extracting(row -> row.get(0))
        .containsExactly(1L, 2L);
  }

  @Test
  void manySmallFilesAreReadInOneBatchNotTwoAtATime() throws IOException {
    for (int f = 0; f < 10; f++) {
      write(String.format("part-%03d.csv", f), f + "," + f + "0,Apple,2026-01-01 00:00:0" + f + "\n");
    }
    Source source = create(BIDS, Map.of("path", dir.toString()));
    SourceBatch batch = source.planBatch(0, 0, 2);
    assertThat(batch.splits()).hasSize(10);
    assertThat(batch.exhausted()).isTrue();
    assertThat(readAll(source, batch, allocator, metrics)).extracting(row -> row.get(0))
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
  }

  @Test
  void emptyInputIsExhaustedAtOnce() throws IOException {
    Path file = write("empty.csv", "");
    SourceBatch batch = create(BIDS, Map.of("path", file.toString())).planBatch(0, 0, 4);
    assertThat(batch.splits()).isEmpty();
    assertThat(batch.exhausted()).isTrue();
  }

  @Test
  void splitsAFileAtLineEndsYieldingEveryRowOnceInOrder() throws IOException {
    List<String> lines = bidLines(20_000);
    Path file = write("bids.csv", String.join("\n", lines) + "\n");
    Source source = create(BIDS, Map.of("path", file.toString()));
    SourceBatch batch = source.planBatch(0, 0, 3);
    assertThat(batch.splits()).hasSize(3);
    byte[] bytes = Files.readAllBytes(file);
    long expectedStart = 0;
    for (SourceSplit split : batch.splits()) {
      assertThat(split.start()).isEqualTo(expectedStart);
      assertThat(bytes[(int) split.end() - 1]).isEqualTo((byte) '\n');
      expectedStart = split.end();
    }
    assertThat(expectedStart).isEqualTo(bytes.length);
    List<List<Object>> rows = readAll(source, batch, allocator, metrics);
    assertThat(rows).hasSize(20_000);
    for (int i = 0; i < rows.size(); i++) {
      assertThat(rows.get(i).get(0)).isEqualTo((long) i);
    }
  }

  @Test
  void batchBytesSpreadsAFileOverBatchesExhaustedOnlyAtTheEnd() throws IOException {
    List<String> lines = bidLines(300);
    Path file = write("bids.csv", String.join("\n", lines)); // no final line feed
    Source source = create(BIDS, Map.of("path", file.toString(), "batch.bytes", "1000"));
    List<List<Object>> rows = new ArrayList<>();
    List<Boolean> exhausted = new ArrayList<>();
    for (int batchId = 0; batchId < 1000 && !lastOf(exhausted); batchId++) {
      SourceBatch batch = source.planBatch(batchId, 0, 2);
      long bytes = batch.splits().stream().mapToLong(s -> s.end() - s.start()).sum();
      assertThat(bytes).isLessThanOrEqualTo(1000);
      assertThat(batch.splits()).isNotEmpty();
      exhausted.add(batch.exhausted());
      rows.addAll(readAll(source, batch, allocator, metrics));
    }
    assertThat(exhausted.size()).isGreaterThan(10);
    assertThat(exhausted.subList(0, exhausted.size() - 1)).containsOnly(false);
    assertThat(rows).extracting(row -> row.get(0)).containsExactlyElementsOf(range(300));
  }

  @Test
  void badRowFailsNamingFileAndLine() throws IOException {
    List<String> lines = bidLines(20_000);
    lines.set(17_000, "17000,abc,Google,2026-01-01 00:00:00");
    Path file = write("bids.csv", String.join("\n", lines) + "\n");
    Source source = create(BIDS, Map.of("path", file.toString()));
    SourceBatch batch = source.planBatch(0, 0, 4);
    assertThatThrownBy(() -> readAll(source, batch, allocator, metrics))
        .isInstanceOf(EngineException.class)
        .hasMessage("Cannot parse csv row at " + file + ":17001: column 'price' expects BIGINT but got 'abc'")
        .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo(ErrorCode.BAD_INPUT_DATA));
  }

  @Test
  void fieldCountMismatchIsAParseError() throws IOException {
    Path file = write("bids.csv", "1,10,Apple,2026-01-01 00:00:01\n2,20\n");
    Source source = create(BIDS, Map.of("path", file.toString()));
    SourceBatch batch = source.planBatch(0, 0, 1);
    assertThatThrownBy(() -> readAll(source, batch, allocator, metrics))
        .hasMessage("Cannot parse csv row at " + file + ":2: expected 4 fields, found 2");
  }

  @Test
  void skipModeDropsBadRowsAndCountsThem() throws IOException {
    Path file = write("bids.csv", "1,10,Apple,2026-01-01 00:00:01\n"
        + "2,x,Apple,2026-01-01 00:00:01\n"
        + "3,30,Apple,2026-02-30 00:00:01\n"
        + "4,40,Apple\n"
        + "5,50,Apple,2026-01-01 00:00:05\n");
    Source source = create(BIDS, Map.of("path", file.toString(), "on.error", "skip"));
    List<List<Object>> rows = readAll(source, source.planBatch(0, 0, 1), allocator, metrics);
    assertThat(rows).extracting(row -> row.get(0)).containsExactly(1L, 5L);
    assertThat(rows.get(1)).containsExactly(5L, 50L, "Apple", Timestamps.parseMillis("2026-01-01 00:00:05"));
    assertThat(metrics.skippedRows()).isEqualTo(3);
  }

  @Test
  void emptyFieldsAreNullExceptForStrings() throws IOException {
    RowType type = RowType.of(new Column("a", DataType.of(DataType.Kind.BIGINT)),
        new Column("s", DataType.of(DataType.Kind.VARCHAR)),
        new Column("d", DataType.of(DataType.Kind.DOUBLE)),
        new Column("b", DataType.of(DataType.Kind.BOOLEAN)),
        new Column("t", DataType.of(DataType.Kind.TIMESTAMP)));
    Path file = write("x.csv", ",,,,\r\n7,x,2.5,TRUE,2026-01-01 00:00:00\r\n\n");
    Source source = create(type, Map.of("path", file.toString()));
    assertThat(readAll(source, source.planBatch(0, 0, 1), allocator, metrics)).containsExactly(
        Arrays.asList(null, "", null, null, null),
        List.of(7L, "x", 2.5, true, Timestamps.parseMillis("2026-01-01 00:00:00")));
  }

  @Test
  void quotedFieldsMayHoldCommasAndQuotes() throws IOException {
    RowType type = RowType.of(new Column("a", DataType.of(DataType.Kind.VARCHAR)),
        new Column("b", DataType.of(DataType.Kind.VARCHAR)),
        new Column("n", DataType.of(DataType.Kind.INTEGER)));
    Path file = write("x.csv", "\"a,b\",\"say \"\"hi\"\"\",\"12\"\r\n\"\",plain,\"\"\n");
    Source source = create(type, Map.of("path", file.toString()));
    assertThat(readAll(source, source.planBatch(0, 0, 1), allocator, metrics)).containsExactly(
        List.of("a,b", "say \"hi\"", 12L), Arrays.asList("", "plain", null));
  }

  @Test
  void unterminatedQuoteIsAParseError() throws IOException {
    RowType type = RowType.of(new Column("a", DataType.of(DataType.Kind.VARCHAR)));
    Path file = write("x.csv", "ok\n\"open\n");
    Source source = create(type, Map.of("path", file.toString()));
    assertThatThrownBy(() -> readAll(source, source.planBatch(0, 0, 1), allocator, metrics))
        .hasMessageContaining("x.csv:2: unterminated quoted field in column 'a'");
  }

  @Test
  void parsesNumbersOfEveryKind() throws IOException {
    RowType type = RowType.of(new Column("d", DataType.decimal(10, 3)),
        new Column("t", DataType.of(DataType.Kind.TINYINT)),
        new Column("r", DataType.of(DataType.Kind.DOUBLE)),
        new Column("day", DataType.of(DataType.Kind.DATE)));
    Path file = write("x.csv", "12.5,-128,1.25,1970-01-02\n-0.0005,+127,-3,1969-12-31\n"
        + "1.2344,0,1e3,2000-01-01\n7,1,0.1,2000-01-01\n");
    Source source = create(type, Map.of("path", file.toString()));
    assertThat(readAll(source, source.planBatch(0, 0, 1), allocator, metrics)).containsExactly(
        List.of(12_500L, -128L, 1.25, 1L),
        List.of(-1L, 127L, -3.0, -1L),
        List.of(1_234L, 0L, 1000.0, 10_957L),
        List.of(7_000L, 1L, 0.1, 10_957L));
  }

  @Test
  void rejectsOutOfRangeIntegersAndDecimals() throws IOException {
    RowType type = RowType.of(new Column("t", DataType.of(DataType.Kind.TINYINT)),
        new Column("d", DataType.decimal(4, 2)));
    Path file = write("x.csv", "1,1.5\n128,1.5\n1,100.00\n1,99.999\n99999999999999999999,1\n");
    Source source = create(type, Map.of("path", file.toString(), "on.error", "skip"));
    assertThat(readAll(source, source.planBatch(0, 0, 1), allocator, metrics)).containsExactly(List.of(1L, 150L));
    assertThat(metrics.skippedRows()).isEqualTo(4);
  }

  @Test
  void followModePicksUpNewFilesAndCompleteLinesOnly() throws IOException {
    write("a.csv", "1,10,Apple,2026-01-01 00:00:01\n");
    Source source = create(BIDS, Map.of("path", dir.toString(), "follow", "true"));
    SourceBatch first = source.planBatch(0, 0, 2);
    assertThat(first.exhausted()).isFalse();
    assertThat(readAll(source, first, allocator, metrics)).extracting(row -> row.get(0)).containsExactly(1L);
    SourceBatch idle = source.planBatch(1, 0, 2);
    assertThat(idle.splits()).isEmpty();
    assertThat(idle.exhausted()).isFalse();

    Path b = write("b.csv", "2,20,Apple,2026-01-01 00:00:02\n3,30,App");
    assertThat(readAll(source, source.planBatch(2, 0, 2), allocator, metrics))
        .extracting(row -> row.get(0)).containsExactly(2L);
    Files.writeString(b, "le,2026-01-01 00:00:03\n", StandardOpenOption.APPEND);
    assertThat(readAll(source, source.planBatch(3, 0, 2), allocator, metrics))
        .extracting(row -> row.get(0)).containsExactly(3L);
    assertThat(source.planBatch(4, 0, 2).splits()).isEmpty();
  }

  @Test
  void concurrentRereadsOfASplitGiveTheSameRows() throws Exception {
    Path file = write("bids.csv", String.join("\n", bidLines(5_000)) + "\n");
    Source source = create(BIDS, Map.of("path", file.toString()));
    SourceSplit split = source.planBatch(0, 0, 1).splits().get(0);
    List<List<Object>> expected = read(source, split, allocator, metrics);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<List<Object>>>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> read(source, split, allocator, metrics)));
      }
      for (Future<List<List<Object>>> result : results) {
        assertThat(result.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void validateReportsMissingPathUnknownOptionsAndUnsupportedTypes() {
    assertThatThrownBy(() -> factory.validate("bids", BIDS, Map.of("path", dir.resolve("nope").toString())))
        .isInstanceOf(EngineException.class)
        .hasMessage("csv path '" + dir.resolve("nope") + "' of stream bids does not exist")
        .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThatThrownBy(() -> factory.validate("bids", BIDS, Map.of("path", dir.toString(), "colour", "red")))
        .hasMessage("Unknown option 'colour' for csv stream bids; known options: batch.bytes, follow, on.error, path")
        .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo(ErrorCode.VALIDATION_ERROR));
    assertThatThrownBy(() -> factory.validate("bids", BIDS, Map.of()))
        .hasMessageContaining("needs option 'path'");
    assertThatThrownBy(() -> factory.validate("bids", BIDS, Map.of("path", dir.toString(), "on.error", "ignore")))
        .hasMessageContaining("'on.error'").hasMessageContaining("fail, skip");
    assertThatThrownBy(() -> factory.validate("bids", BIDS, Map.of("path", dir.toString(), "batch.bytes", "lots")))
        .hasMessageContaining("'batch.bytes'");
    RowType interval = RowType.of(new Column("i", DataType.of(DataType.Kind.INTERVAL_DAY_TIME)));
    assertThatThrownBy(() -> factory.validate("bids", interval, Map.of("path", dir.toString())))
        .hasMessageContaining("Column 'i'").hasMessageContaining("cannot read");
    factory.validate("bids", BIDS, Map.of("connector", "csv", "PATH", dir.toString(), "batch.bytes", "4mb",
        "follow", "TRUE", "on.error", "Skip"));
  }

  @Test
  void parsesByteSizes() {
    assertThat(CsvSourceFactory.parseBytes("1000")).isEqualTo(1000);
    assertThat(CsvSourceFactory.parseBytes("16mb")).isEqualTo(16L << 20);
    assertThat(CsvSourceFactory.parseBytes("512 KiB")).isEqualTo(512L << 10);
    assertThat(CsvSourceFactory.parseBytes("1g")).isEqualTo(1L << 30);
    assertThat(CsvSourceFactory.parseBytes("x")).isEqualTo(-1);
    assertThat(CsvSourceFactory.parseBytes("5 parsecs")).isEqualTo(-1);
  }

  private Source create(RowType type, Map<String, String> options) {
    Map<String, String> withConnector = new HashMap<>(options);
    withConnector.put("connector", "csv");
    factory.validate("bids", type, withConnector);
    return factory.create("bids", type, withConnector, new ManualClock(0));
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private static List<String> bidLines(int count) {
    List<String> lines = new ArrayList<>();
    String[] channels = {"Google", "Facebook", "Baidu", "Apple"};
    for (int i = 0; i < count; i++) {
      lines.add(i + "," + (i * 7 % 1000) + "," + channels[i % 4] + "," + Timestamps.format(1_767_225_600_000L + i));
    }
    return lines;
  }

  private static List<Long> range(int count) {
    List<Long> values = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      values.add(i);
    }
    return values;
  }

  private static boolean lastOf(List<Boolean> values) {
    return !values.isEmpty() && values.get(values.size() - 1);
  }
}

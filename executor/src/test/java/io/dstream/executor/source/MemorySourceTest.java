package io.dstream.executor.source;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemorySourceTest {
  private static final RowType TYPE = RowType.of(
      new Column("a", DataType.of(DataType.Kind.BIGINT)),
      new Column("d", DataType.of(DataType.Kind.DOUBLE)),
      new Column("ts", DataType.of(DataType.Kind.TIMESTAMP)));

  private final BufferAllocator allocator = new RootAllocator();
  private final SourceMetrics metrics = new SourceMetrics();
  private final MemorySourceFactory factory = new MemorySourceFactory();

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  @Test
  void latestReadsOnlyRowsAppendedAfterCreation() {
    MemoryLog log = factory.log("Events");
    log.bind(TYPE);
    log.appendCsv("1,1.5,2026-01-01 00:00:00");
    Source latest = factory.create("EVENTS", TYPE, Map.of(), new ManualClock(0));
    Source earliest = factory.create("events", TYPE, Map.of("start", "earliest"), new ManualClock(0));
    log.appendCsv("2,2.5,2026-01-01 00:00:01.000", "3,,2026-01-01 00:00:02");

    List<List<Object>> fromLatest = readAll(latest, latest.planBatch(0, 0, 4), allocator, metrics);
    assertThat(fromLatest).containsExactly(
        List.of(2L, 2.5, Timestamps.parseMillis("2026-01-01 00:00:01")),
        Arrays.asList(3L, null, Timestamps.parseMillis("2026-01-01 00:00:02")));
    assertThat(readAll(earliest, earliest.planBatch(0, 0, 4), allocator, metrics))
        .extracting(row -> row.get(0)).containsExactly(1L, 2L, 3L);

    SourceBatch idle = latest.planBatch(1, 0, 4);
    assertThat(idle.splits()).isEmpty();
    assertThat(idle.exhausted()).isFalse();
  }

  @Test
  void appendsPhysicalRowsAndSplitsLargeBatches() {
    MemoryLog log = factory.log("big");
    Source source = factory.create("big", TYPE, Map.of(), new ManualClock(0));
    List<Object[]> rows = new ArrayList<>();
    for (long i = 0; i < 5000; i++) {
      rows.add(new Object[] {i, (double) i, i * 1000});
    }
    assertThat(log.append(rows)).isEqualTo(5000);
    SourceBatch batch = source.planBatch(0, 0, 3);
    assertThat(batch.splits()).hasSize(3);
    List<List<Object>> read = readAll(source, batch, allocator, metrics);
    assertThat(read).hasSize(5000);
    for (int i = 0; i < read.size(); i++) {
      assertThat(read.get(i)).containsExactly((long) i, (double) i, i * 1000L);
    }
  }

  @Test
  void badCsvLinesAppendNothing() {
    MemoryLog log = factory.log("events");
    factory.validate("events", TYPE, Map.of());
    assertThatThrownBy(() -> log.appendCsv("1,1.0,2026-01-01 00:00:00", "2,x,2026-01-01 00:00:00"))
        .isInstanceOf(EngineException.class)
        .hasMessage("Cannot parse csv line 2 for stream events: column 'd' expects DOUBLE but got 'x'")
        .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo(ErrorCode.BAD_INPUT_DATA));
    assertThat(log.end()).isZero();
  }

  @Test
  void appendRejectsValuesOfTheWrongClass() {
    MemoryLog log = factory.log("events");
    log.bind(TYPE);
    assertThatThrownBy(() -> log.append(List.<Object[]>of(new Object[] {"one", 1.0, 0L})))
        .hasMessageContaining("Column 'a'");
    assertThat(log.append(List.<Object[]>of(new Object[] {1, 2, 3L}))).isEqualTo(1);
    assertThat(log.read(0, 1).get(0)).containsExactly(1L, 2.0, 3L);
  }

  @Test
  void dropForgetsTheLog() {
    MemoryLog log = factory.log("events");
    log.append(List.<Object[]>of(new Object[] {1L, 1.0, 1L}));
    factory.drop("EVENTS");
    assertThat(factory.log("events")).isNotSameAs(log);
    assertThat(factory.log("events").end()).isZero();
  }

  @Test
  void validateRejectsUnknownOptionsAndStartValues() {
    assertThatThrownBy(() -> factory.validate("events", TYPE, Map.of("bounded", "true")))
        .hasMessageContaining("known options: start");
    assertThatThrownBy(() -> factory.validate("events", TYPE, Map.of("start", "middle")))
        .hasMessageContaining("earliest, latest");
  }

  /** A replicator that records what it was asked to store, or refuses. */
  private static final class RecordingReplicator implements MemoryLog.Replicator {
    final List<Long> stored = new ArrayList<>();
    boolean refuse;

    @Override
    public List<String> replicate(String stream, long sequence, RowType rowType, List<Object[]> rows) {
      if (refuse) {
        throw new EngineException(ErrorCode.RESOURCE_EXHAUSTED, "no workers");
      }
      stored.add(sequence);
      return List.of("w1", "w2");
    }

    @Override
    public void release(String stream, List<MemoryLog.InputBlock> blocks) {}
  }

  @Test
  void replicatedLogPlansOneSplitPerStoredBlockAndRefusedAppendAddsNothing() {
    RecordingReplicator replicator = new RecordingReplicator();
    factory.replicateWith(replicator);
    MemoryLog log = factory.log("clicks");
    log.bind(TYPE);
    Source source = factory.create("clicks", TYPE, Map.of(), new ManualClock(0));
    log.appendCsv("1,1.5,2026-01-01 00:00:00", "2,2.5,2026-01-01 00:00:01");
    log.appendCsv("3,3.5,2026-01-01 00:00:02");
    replicator.refuse = true;
    assertThatThrownBy(() -> log.appendCsv("4,4.5,2026-01-01 00:00:03"))
        .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED));

    assertThat(log.end()).isEqualTo(3);
    assertThat(replicator.stored).containsExactly(0L, 1L);
    List<SourceSplit> splits = source.planBatch(0, 0, 4).splits();
    assertThat(splits).containsExactly(new SourceSplit("input:clicks:0:w1,w2", 0, 2),
        new SourceSplit("input:clicks:1:w1,w2", 2, 3));
    assertThat(InputSplit.of(splits.get(1))).contains(new InputSplit("clicks", 1, List.of("w1", "w2")));
    assertThat(InputSplit.of(new SourceSplit("clicks", 0, 2))).isEmpty();
  }
}

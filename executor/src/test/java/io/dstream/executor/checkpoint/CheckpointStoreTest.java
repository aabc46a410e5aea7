package io.dstream.executor.checkpoint;

import static io.dstream.executor.kernel.TestBatches.BIGINT;
import static io.dstream.executor.kernel.TestBatches.VARCHAR;
import static io.dstream.executor.kernel.TestBatches.batch;
import static io.dstream.executor.kernel.TestBatches.row;
import static io.dstream.executor.kernel.TestBatches.rowType;
import static io.dstream.executor.kernel.TestBatches.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.codec.CodecException;
import io.dstream.executor.type.RowType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
  private static final RowType TYPE = rowType("id", BIGINT, "name", VARCHAR);

  @TempDir
  Path dir;

  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  private void write(CheckpointStore store, String query, long batch, int partition, List<List<Object>> rows) {
    try (ColumnBatch state = batch(allocator, TYPE, rows)) {
      store.write(query, batch, partition, state);
    }
  }

  @Test
  void writesTheDocumentedLayout() {
    CheckpointStore store = new CheckpointStore(dir);
    write(store, "q1", 4, 0, List.of(row(1L, "one")));
    write(store, "q1", 4, 1, List.of());
    store.markComplete("q1", 4);

    assertThat(dir.resolve("q1/batch-4/part-0.arrow")).isRegularFile();
    assertThat(dir.resolve("q1/batch-4/part-1.arrow")).isRegularFile();
    assertThat(dir.resolve("q1/batch-4/_COMPLETE")).isRegularFile();
    assertThat(store.partitionFile("q1", 4, 1)).isEqualTo(dir.resolve("q1/batch-4/part-1.arrow"));
  }

  @Test
  void readReturnsTheWrittenRowsOwnedByTheCaller() {
    CheckpointStore store = new CheckpointStore(dir);
    write(store, "q", 2, 0, List.of(row(1L, "one"), row(2L, null)));
    write(store, "q", 2, 1, List.of());
    store.markComplete("q", 2);

    try (ColumnBatch p0 = store.read("q", 2, 0, TYPE, allocator);
        ColumnBatch p1 = store.read("q", 2, 1, TYPE, allocator)) {
      assertThat(rows(p0)).containsExactly(row(1L, "one"), row(2L, null));
      assertThat(p1.rowCount()).isZero();
      assertThat(p0.rowType()).isEqualTo(TYPE);
    }
  }

  @Test
  void writeLeavesNoTemporaryFileAndReplacesAnEarlierFile() throws IOException {
    CheckpointStore store = new CheckpointStore(dir);
    write(store, "q", 0, 0, List.of(row(1L, "old")));
    write(store, "q", 0, 0, List.of(row(2L, "new")));
    store.markComplete("q", 0);

    try (Stream<Path> files = Files.list(dir.resolve("q/batch-0"))) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("part-0.arrow", "_COMPLETE");
    }
    try (ColumnBatch p0 = store.read("q", 0, 0, TYPE, allocator)) {
      assertThat(rows(p0)).containsExactly(row(2L, "new"));
    }
  }

  @Test
  void onlyBatchesWithTheMarkerAreComplete() {
    CheckpointStore store = new CheckpointStore(dir);
    assertThat(store.latestComplete("q")).isEmpty();
    write(store, "q", 3, 0, List.of(row(1L, "a")));
    store.markComplete("q", 3);
    write(store, "q", 5, 0, List.of(row(2L, "b")));
    write(store, "q", 12, 0, List.of(row(3L, "c")));
    store.markComplete("q", 12);
    write(store, "q", 14, 0, List.of(row(4L, "d")));

    assertThat(store.latestComplete("q")).hasValue(12);
    assertThat(store.batches("q")).containsExactly(3L, 5L, 12L, 14L);
    assertThat(store.latestComplete("other")).isEmpty();
    assertThatThrownBy(() -> store.read("q", 14, 0, TYPE, allocator))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not complete");
  }

  @Test
  void deleteOlderThanRemovesEarlierBatchesCompleteOrNot() {
    CheckpointStore store = new CheckpointStore(dir);
    for (long b : new long[] {1, 2, 3, 4}) {
      write(store, "q", b, 0, List.of(row(b, "x")));
      if (b != 2) {
        store.markComplete("q", b);
      }
    }
    write(store, "other", 1, 0, List.of(row(1L, "y")));

    store.deleteOlderThan("q", 3);

    assertThat(store.batches("q")).containsExactly(3L, 4L);
    assertThat(dir.resolve("q/batch-1")).doesNotExist();
    assertThat(store.latestComplete("q")).hasValue(4);
    assertThat(store.batches("other")).containsExactly(1L);
  }

  @Test
  void deleteQueryRemovesItsDirectoryOnly() {
    CheckpointStore store = new CheckpointStore(dir);
    write(store, "q", 1, 0, List.of(row(1L, "x")));
    write(store, "r", 1, 0, List.of(row(1L, "x")));
    store.deleteQuery("q");
    store.deleteQuery("missing");
    assertThat(dir.resolve("q")).doesNotExist();
    assertThat(store.batches("r")).containsExactly(1L);
  }

  @Test
  void ignoresForeignEntriesInTheQueryDirectory() throws IOException {
    CheckpointStore store = new CheckpointStore(dir);
    Files.createDirectories(dir.resolve("q/batch-x"));
    Files.createDirectories(dir.resolve("q/notes"));
    Files.writeString(dir.resolve("q/batch-7"), "a file, not a directory");
    assertThat(store.batches("q")).isEmpty();
    assertThat(store.latestComplete("q")).isEmpty();
  }

  @Test
  void readRejectsAFileOfAnotherRowType() {
    CheckpointStore store = new CheckpointStore(dir);
    write(store, "q", 0, 0, List.of(row(1L, "one")));
    store.markComplete("q", 0);
    RowType other = rowType("id", BIGINT);
    assertThatThrownBy(() -> store.read("q", 0, 0, other, allocator)).isInstanceOf(CodecException.class);
  }

  @Test
  void readRejectsATruncatedFile() throws IOException {
    CheckpointStore store = new CheckpointStore(dir);
    write(store, "q", 0, 0, List.of(row(1L, "one")));
    store.markComplete("q", 0);
    Path file = store.partitionFile("q", 0, 0);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> store.read("q", 0, 0, TYPE, allocator)).isInstanceOf(CodecException.class);
  }

  @Test
  void rejectsQueryIdsThatAreNotADirectoryName() {
    CheckpointStore store = new CheckpointStore(dir);
    assertThatThrownBy(() -> store.queryDirectory("../escape")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.queryDirectory("..")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.queryDirectory("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.partitionFile("q", -1, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}

package io.dstream.executor.checkpoint;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.type.RowType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The checkpoint directory: {@code DIR/<query>/batch-<b>/part-<p>.arrow}, one Arrow IPC file per
 * state partition of batch {@code b}, and a {@value #COMPLETE} marker written last, once every
 * partition of the batch is durable. A batch directory without the marker is an unfinished or
 * failed checkpoint and is never read. Thread-safe; every call blocks on disk I/O.
 */
public final class CheckpointStore {
  /** The marker file of a complete checkpoint. */
  public static final String COMPLETE = "_COMPLETE";

  private static final String BATCH_PREFIX = "batch-";
  private static final String PART_PREFIX = "part-";
  private static final String PART_SUFFIX = ".arrow";

  private final Path root;

  public CheckpointStore(Path root) {
    this.root = requireNonNull(root, "root is null").toAbsolutePath();
  }

  public Path root() {
    return root;
  }

  /** The directory of one query's checkpoints. */
  public Path queryDirectory(String query) {
    requireNonNull(query, "query is null");
    if (query.isEmpty() || query.contains("/") || query.contains("\\") || query.equals(".") || query.equals("..")) {
      throw new IllegalArgumentException("query id '" + query + "' cannot name a checkpoint directory");
    }
    return root.resolve(query);
  }

  public Path batchDirectory(String query, long batch) {
    if (batch < 0) {
      throw new IllegalArgumentException("batch must not be negative, was " + batch);
    }
    return queryDirectory(query).resolve(BATCH_PREFIX + batch);
  }

  /** Where state partition {@code partition} of batch {@code batch} is checkpointed. */
  public Path partitionFile(String query, long batch, int partition) {
    if (partition < 0) {
      throw new IllegalArgumentException("partition must not be negative, was " + partition);
    }
    return batchDirectory(query, batch).resolve(PART_PREFIX + partition + PART_SUFFIX);
  }

  /** Writes one partition durably (driver-local writes; workers use {@link CheckpointFile}). */
  public void write(String query, long batch, int partition, ColumnBatch state) {
    CheckpointFile.write(partitionFile(query, batch, partition), state);
  }

  /** Marks batch {@code batch} complete; call only once all its partitions are durable. */
  public void markComplete(String query, long batch) {
    CheckpointFile.writeMarker(batchDirectory(query, batch).resolve(COMPLETE));
  }

  public boolean isComplete(String query, long batch) {
    return Files.exists(batchDirectory(query, batch).resolve(COMPLETE));
  }

  /** The newest complete checkpoint of {@code query}, if any. */
  public OptionalLong latestComplete(String query) {
    long latest = -1;
    for (long batch : batches(query)) {
      if (batch > latest && isComplete(query, batch)) {
        latest = batch;
      }
    }
    return latest < 0 ? OptionalLong.empty() : OptionalLong.of(latest);
  }

  /**
   * State partition {@code partition} of the complete checkpoint of batch {@code batch}, owned
   * by the caller and allocated from {@code allocator}.
   *
   * @throws IllegalStateException when that checkpoint is not complete
   */
  public ColumnBatch read(String query, long batch, int partition, RowType rowType, BufferAllocator allocator) {
    if (!isComplete(query, batch)) {
      throw new IllegalStateException("checkpoint of batch " + batch + " of query " + query + " is not complete");
    }
    return CheckpointFile.read(partitionFile(query, batch, partition), rowType, allocator);
  }

  /**
   * Deletes every checkpoint directory of {@code query} for a batch before {@code batch},
   * complete or not.
   */
  public void deleteOlderThan(String query, long batch) {
    for (long b : batches(query)) {
      if (b < batch) {
        deleteTree(batchDirectory(query, b));
      }
    }
  }

  /** Deletes every checkpoint directory of {@code query} for a batch after {@code batch}, complete or not. */
  public void deleteNewerThan(String query, long batch) {
    for (long b : batches(query)) {
      if (b > batch) {
        deleteTree(batchDirectory(query, b));
      }
    }
  }

  /** Deletes all checkpoints of {@code query}. */
  public void deleteQuery(String query) {
    deleteTree(queryDirectory(query));
  }

  /** The batches that have a checkpoint directory of {@code query}, complete or not, ascending. */
  public List<Long> batches(String query) {
    Path directory = queryDirectory(query);
    List<Long> batches = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return batches;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, BATCH_PREFIX + "*")) {
      for (Path entry : entries) {
        long batch = parseBatch(entry.getFileName().toString());
        if (batch >= 0 && Files.isDirectory(entry)) {
          batches.add(batch);
        }
      }
    } catch (NoSuchFileException e) {
      return batches;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list checkpoints in " + directory, e);
    }
    batches.sort(null);
    return batches;
  }

  private static long parseBatch(String name) {
    String digits = name.substring(BATCH_PREFIX.length());
    if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    return Long.parseLong(digits);
  }

  private static void deleteTree(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (NoSuchFileException e) {
      // Deleted concurrently: nothing left to do.
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete checkpoint directory " + directory, e);
    }
  }
}

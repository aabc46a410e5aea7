package io.dstream.executor.checkpoint;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.codec.BatchCodec;
import io.dstream.executor.type.RowType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.apache.arrow.memory.BufferAllocator;

/**
 * One checkpoint file: a batch as one Arrow IPC stream ({@link BatchCodec}), written to a
 * temporary file in the same directory, forced to disk and renamed into place, so a reader sees
 * either no file or the whole file. Stateless and thread-safe; the calls block on disk I/O.
 */
public final class CheckpointFile {
  private static final String TEMP_SUFFIX = ".tmp";

  private CheckpointFile() {}

  /**
   * Writes {@code batch} durably to {@code file}, replacing any earlier file there and creating
   * missing parent directories. The batch is only read; it stays the caller's.
   *
   * @throws UncheckedIOException when the file cannot be written
   */
  public static void write(Path file, ColumnBatch batch) {
    requireNonNull(batch, "batch is null");
    writeAtomically(file, temp -> {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        BatchCodec.encode(batch, channel);
        channel.force(true);
      }
    });
  }

  /** Writes an empty file durably at {@code file}: a marker. */
  public static void writeMarker(Path file) {
    writeAtomically(file, temp -> {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
    });
  }

  /**
   * Reads the batch in {@code file}, which must have row type {@code rowType}; the batch is the
   * caller's, allocated from {@code allocator}.
   *
   * @throws UncheckedIOException when the file cannot be read
   * @throws io.dstream.executor.codec.CodecException when it does not hold such a batch
   */
  public static ColumnBatch read(Path file, RowType rowType, BufferAllocator allocator) {
    requireNonNull(file, "file is null");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint file " + file, e);
    }
    return BatchCodec.decode(bytes, allocator, rowType);
  }

  /** Whether {@code file} is a temporary file of an unfinished write. */
  static boolean isTemporary(Path file) {
    return file.getFileName().toString().endsWith(TEMP_SUFFIX);
  }

  @FunctionalInterface
  private interface Content {
    void writeTo(Path temp) throws IOException;
  }

  private static void writeAtomically(Path file, Content content) {
    requireNonNull(file, "file is null");
    Path directory = file.toAbsolutePath().getParent();
    Path temp = null;
    try {
      Files.createDirectories(directory);
      temp = Files.createTempFile(directory, file.getFileName().toString() + ".", TEMP_SUFFIX);
      content.writeTo(temp);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
      forceDirectory(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint file " + file, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          // The temporary file is left behind; the next cleanup of the directory removes it.
        }
      }
    }
  }

  /** Makes the rename durable where the platform allows forcing a directory. */
  private static void forceDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Some platforms cannot open a directory; the rename is still atomic there.
    }
  }
}

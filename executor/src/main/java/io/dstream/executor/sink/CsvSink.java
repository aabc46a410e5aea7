package io.dstream.executor.sink;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.type.RowType;
import io.dstream.executor.type.ValueFormat;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Writes each committed non-empty batch to {@code batch-<id, 12 digits>.csv} in a directory, in
 * the dialect the csv source reads (no header; NULL as an empty field). A batch is written to a
 * hidden temporary file, forced to disk and renamed, so a file either holds a whole batch or does
 * not exist, and committing a batch id again is a no-op. Used by the driver thread only.
 */
public final class CsvSink implements Sink {
  private static final int FLUSH_CHARS = 1 << 16;

  private final String stream;
  private final RowType rowType;
  private final Path directory;

  /** Writes into {@code directory}, creating it if missing. */
  public CsvSink(String stream, RowType rowType, Path directory) {
    this.stream = requireNonNull(stream, "stream is null");
    this.rowType = requireNonNull(rowType, "rowType is null");
    this.directory = requireNonNull(directory, "directory is null");
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new EngineException(ErrorCode.SOURCE_ERROR,
          "Cannot create csv sink directory '" + directory + "' of stream " + stream + ": " + e, e);
    }
  }

  /** The file batch {@code batchId} is committed to. */
  public Path file(long batchId) {
    return directory.resolve(String.format(Locale.ROOT, "batch-%012d.csv", batchId));
  }

  @Override
  public void commit(long batchId, ColumnBatch rows) {
    Path target = file(batchId);
    if (rows.rowCount() == 0 || Files.exists(target)) {
      return;
    }
    Path temp = directory.resolve("." + target.getFileName() + ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        Writer writer = new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8);
        write(rows, writer);
        writer.flush();
        channel.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new EngineException(ErrorCode.SOURCE_ERROR,
          "Cannot write " + target + " of csv sink stream " + stream + ": " + e, e);
    }
  }

  private void write(ColumnBatch rows, Writer writer) throws IOException {
    StringBuilder text = new StringBuilder(FLUSH_CHARS + 1024);
    int columns = rowType.size();
    for (int row = 0; row < rows.rowCount(); row++) {
      for (int c = 0; c < columns; c++) {
        if (c > 0) {
          text.append(',');
        }
        ValueFormat.appendCsvField(text, rowType.type(c), rows.vector(c), row);
      }
      text.append('\n');
      if (text.length() >= FLUSH_CHARS) {
        writer.append(text);
        text.setLength(0);
      }
    }
    writer.append(text);
  }
}

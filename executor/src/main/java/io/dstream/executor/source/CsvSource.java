package io.dstream.executor.source;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Reads csv files as line-aligned byte ranges. Planning (driver thread only) walks the files in
 * name order, taking up to {@code batch.bytes} per batch and cutting at line ends; reading is
 * stateless, so any split can be read by any thread, any number of times, with the same rows.
 * Line numbers for error messages are counted only when a row fails.
 */
public final class CsvSource implements Source {
  /** Splits smaller than this are not worth a task of their own. */
  static final long MIN_SPLIT_BYTES = 64 * 1024;
  /** At most this many files (one split each) are read in one batch, whatever their size. */
  static final int MAX_FILES_PER_BATCH = 64;
  private static final int SCAN_CHUNK = 64 * 1024;
  private static final String POSITION_VERSION = "csv-position 1";

  /** The validated options of a csv stream. */
  public record Config(Path path, boolean skipBadRows, long batchBytes, boolean follow) {
    public Config {
      requireNonNull(path, "path is null");
      if (batchBytes < 1 || batchBytes > CsvSourceFactory.MAX_BATCH_BYTES) {
        throw new IllegalArgumentException("batchBytes out of range: " + batchBytes);
      }
    }
  }

  private final String stream;
  private final RowType rowType;
  private final Config config;

  // Planning state, touched only by the driver thread.
  private final Map<Path, FileProgress> progress = new HashMap<>();
  private List<FileProgress> files = List.of();
  private boolean listed;
  private final byte[] scanBuffer = new byte[SCAN_CHUNK];

  public CsvSource(String stream, RowType rowType, Config config) {
    this.stream = requireNonNull(stream, "stream is null");
    this.rowType = requireNonNull(rowType, "rowType is null");
    this.config = requireNonNull(config, "config is null");
  }

  @Override
  public RowType rowType() {
    return rowType;
  }

  @Override
  public SourceBatch planBatch(long batchId, long batchTime, int parallelism) {
    try {
      refresh();
      List<SourceSplit> ranges = new ArrayList<>();
      int maxSplits = Math.max(1, parallelism);
      long budget = config.batchBytes();
      for (FileProgress file : files) {
        if (file.consumed >= file.readableEnd) {
          continue;
        }
        // Many small files (a followed directory catching up) are read in one batch, one split
        // each, up to the batch's bytes; large ones are cut into up to maxSplits pieces below.
        if (ranges.size() == Math.max(maxSplits, MAX_FILES_PER_BATCH) || budget <= 0) {
          break;
        }
        long from = file.consumed;
        long to = file.readableEnd - from <= budget
            ? file.readableEnd
            : cutAtLineEnd(file.path, from, from + budget, file.readableEnd);
        ranges.add(new SourceSplit(file.path.toString(), from, to));
        budget -= to - from;
        file.consumed = to;
        if (to < file.readableEnd) {
          break;
        }
      }
      return new SourceBatch(divide(ranges, maxSplits), !config.follow() && allConsumed());
    } catch (IOException e) {
      throw new EngineException(ErrorCode.SOURCE_ERROR,
          "Cannot list csv input '" + config.path() + "' of stream " + stream + ": " + e, e);
    }
  }

  /**
   * One line per file planning has started on, {@code <consumed bytes> TAB <path>}, after a
   * version line. Files are never rewritten in place, so offsets stay meaningful.
   */
  @Override
  public Optional<String> position() {
    StringBuilder text = new StringBuilder(POSITION_VERSION).append('\n');
    List<Path> paths = new ArrayList<>(progress.keySet());
    paths.sort(null);
    for (Path path : paths) {
      long consumed = progress.get(path).consumed;
      if (consumed > 0) {
        text.append(consumed).append('\t').append(path).append('\n');
      }
    }
    return Optional.of(text.toString());
  }

  @Override
  public void seek(String position) {
    String[] lines = position.split("\n");
    if (lines.length == 0 || !lines[0].equals(POSITION_VERSION)) {
      throw new IllegalArgumentException("not a csv source position (version " + POSITION_VERSION + "): "
          + position);
    }
    progress.clear();
    listed = false;
    for (int i = 1; i < lines.length; i++) {
      int tab = lines[i].indexOf('\t');
      if (tab <= 0) {
        throw new IllegalArgumentException("bad csv source position line: '" + lines[i] + "'");
      }
      Path path = Path.of(lines[i].substring(tab + 1));
      FileProgress file = new FileProgress(path);
      file.consumed = Long.parseLong(lines[i].substring(0, tab));
      // a followed file is scanned for complete lines only past what was already planned
      file.readableEnd = file.consumed;
      progress.put(path, file);
    }
  }

  @Override
  public ColumnBatch read(SourceSplit split, BufferAllocator allocator, SourceMetrics metrics) {
    Path file = Path.of(split.path());
    byte[] buf = readRange(file, split.start(), split.end());
    int capacity = Math.max(1, countLines(buf, 0, buf.length));
    FieldVector[] vectors = allocate(allocator, capacity, buf.length);
    try {
      CsvRowParser parser = new CsvRowParser(rowType);
      parser.bind(vectors);
      int rows = 0;
      long skipped = 0;
      int pos = 0;
      while (pos < buf.length) {
        try {
          if (parser.tokenize(buf, pos, buf.length)) {
            parser.writeRow(rows);
            rows++;
          }
        } catch (CsvRowParser.BadRowException e) {
          if (!config.skipBadRows()) {
            throw new EngineException(ErrorCode.BAD_INPUT_DATA, "Cannot parse csv row at "
                + file + ":" + lineNumber(file, split.start(), buf, pos) + ": " + e.getMessage());
          }
          skipped++;
        }
        pos = parser.next();
      }
      for (FieldVector v : vectors) {
        v.setValueCount(rows);
      }
      if (skipped > 0) {
        metrics.addSkippedRows(skipped);
      }
      return new ColumnBatch(rowType, Arrays.asList(vectors), rows);
    } catch (RuntimeException | Error e) {
      for (FieldVector v : vectors) {
        v.close();
      }
      throw e;
    }
  }

  private FieldVector[] allocate(BufferAllocator allocator, int rows, int bytes) {
    int stringColumns = 0;
    for (int c = 0; c < rowType.size(); c++) {
      if (rowType.type(c).physical() == DataType.Physical.STRING) {
        stringColumns++;
      }
    }
    FieldVector[] vectors = new FieldVector[rowType.size()];
    try {
      for (int c = 0; c < vectors.length; c++) {
        FieldVector v = ColumnBatch.newVector(rowType.column(c).name(), rowType.type(c), allocator);
        vectors[c] = v;
        if (v instanceof VarCharVector strings) {
          strings.allocateNew(Math.max(1024, bytes / stringColumns), rows);
        } else {
          ((BaseFixedWidthVector) v).allocateNew(rows);
        }
      }
      return vectors;
    } catch (RuntimeException | Error e) {
      for (FieldVector v : vectors) {
        if (v != null) {
          v.close();
        }
      }
      throw e;
    }
  }

  /** Lists the input (once when bounded, every batch when following) and finds readable ends. */
  private void refresh() throws IOException {
    if (listed && !config.follow()) {
      return;
    }
    listed = true;
    List<Path> paths = list();
    List<FileProgress> current = new ArrayList<>(paths.size());
    for (int i = 0; i < paths.size(); i++) {
      Path path = paths.get(i);
      FileProgress file = progress.computeIfAbsent(path, FileProgress::new);
      long size;
      try {
        size = Files.size(path);
      } catch (NoSuchFileException e) {
        continue;
      }
      boolean last = i == paths.size() - 1;
      if (!config.follow() || !last) {
        file.readableEnd = Math.max(file.readableEnd, size);
      } else if (size != file.knownSize) {
        // the last file may be half-written: read it up to its last complete line only
        long end = lastLineEnd(path, file.readableEnd, size);
        file.readableEnd = Math.max(file.readableEnd, end);
        file.knownSize = size;
      }
      current.add(file);
    }
    files = current;
  }

  private List<Path> list() throws IOException {
    Path path = config.path();
    if (Files.isDirectory(path)) {
      List<Path> result = new ArrayList<>();
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
        for (Path entry : entries) {
          String name = entry.getFileName().toString();
          if (!name.startsWith(".") && !name.startsWith("_") && Files.isRegularFile(entry)) {
            result.add(entry);
          }
        }
      }
      result.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
      return result;
    }
    if (Files.exists(path)) {
      return List.of(path);
    }
    if (config.follow()) {
      return List.of();
    }
    throw new EngineException(ErrorCode.NOT_FOUND,
        "csv path '" + path + "' of stream " + stream + " does not exist");
  }

  private boolean allConsumed() {
    for (FileProgress file : files) {
      if (file.consumed < file.readableEnd) {
        return false;
      }
    }
    return true;
  }

  /** Cuts each range into line-aligned pieces, at most {@code maxSplits} in all. */
  private List<SourceSplit> divide(List<SourceSplit> ranges, int maxSplits) throws IOException {
    int[] pieces = new int[ranges.size()];
    Arrays.fill(pieces, 1);
    for (int spare = maxSplits - ranges.size(); spare > 0; spare--) {
      int best = -1;
      double bestSize = 0;
      for (int j = 0; j < ranges.size(); j++) {
        double size = (double) length(ranges.get(j)) / (pieces[j] + 1);
        if (size >= MIN_SPLIT_BYTES && size > bestSize) {
          best = j;
          bestSize = size;
        }
      }
      if (best < 0) {
        break;
      }
      pieces[best]++;
    }
    List<SourceSplit> splits = new ArrayList<>();
    for (int j = 0; j < ranges.size(); j++) {
      SourceSplit range = ranges.get(j);
      Path path = Path.of(range.path());
      long from = range.start();
      for (int k = 1; k < pieces[j] && from < range.end(); k++) {
        long target = range.start() + length(range) * k / pieces[j];
        long cut = nextLineEnd(path, Math.max(target, from + 1), range.end());
        if (cut < range.end()) {
          splits.add(new SourceSplit(range.path(), from, cut));
          from = cut;
        }
      }
      if (from < range.end()) {
        splits.add(new SourceSplit(range.path(), from, range.end()));
      }
    }
    return splits;
  }

  private static long length(SourceSplit split) {
    return split.end() - split.start();
  }

  /** The last line end at or before {@code target} after {@code from}, else the next one. */
  private long cutAtLineEnd(Path path, long from, long target, long limit) throws IOException {
    long end = lastLineEnd(path, from, target);
    return end > from ? end : nextLineEnd(path, target, limit);
  }

  /**
   * The smallest position {@code p >= at} just after a line feed, or {@code limit}.
   */
  private long nextLineEnd(Path path, long at, long limit) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long pos = at - 1;
      while (pos < limit) {
        int n = (int) Math.min(SCAN_CHUNK, limit - pos);
        readFully(channel, pos, n, path);
        for (int i = 0; i < n; i++) {
          if (scanBuffer[i] == '\n') {
            return pos + i + 1;
          }
        }
        pos += n;
      }
      return limit;
    }
  }

  /** The largest position in {@code (from, to]} just after a line feed, or {@code from}. */
  private long lastLineEnd(Path path, long from, long to) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long end = to;
      while (end > from) {
        int n = (int) Math.min(SCAN_CHUNK, end - from);
        readFully(channel, end - n, n, path);
        for (int i = n - 1; i >= 0; i--) {
          if (scanBuffer[i] == '\n') {
            return end - n + i + 1;
          }
        }
        end -= n;
      }
      return from;
    }
  }

  private void readFully(FileChannel channel, long position, int length, Path path)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(scanBuffer, 0, length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new EngineException(ErrorCode.SOURCE_ERROR, "csv file " + path + " shrank while read");
      }
    }
  }

  private static byte[] readRange(Path file, long start, long end) {
    byte[] buf = new byte[Math.toIntExact(end - start)];
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.wrap(buf);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, start + buffer.position()) < 0) {
          throw new EngineException(ErrorCode.SOURCE_ERROR, "csv file " + file
              + " is shorter than expected: cannot read bytes " + start + ".." + end);
        }
      }
    } catch (IOException e) {
      throw new EngineException(ErrorCode.SOURCE_ERROR, "Cannot read csv file " + file + ": " + e, e);
    }
    return buf;
  }

  /** The number of lines in {@code buf[from, to)}, counting a last line without line feed. */
  private static int countLines(byte[] buf, int from, int to) {
    int lines = 0;
    for (int i = from; i < to; i++) {
      if (buf[i] == '\n') {
        lines++;
      }
    }
    return to > from && buf[to - 1] != '\n' ? lines + 1 : lines;
  }

  /** The 1-based line number of {@code buf[pos]}, where {@code buf} starts at file offset {@code start}. */
  private static long lineNumber(Path file, long start, byte[] buf, int pos) {
    long newlines = 0;
    for (int i = 0; i < pos; i++) {
      if (buf[i] == '\n') {
        newlines++;
      }
    }
    byte[] chunk = new byte[SCAN_CHUNK];
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long position = 0;
      while (position < start) {
        ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, start - position));
        int n = channel.read(buffer, position);
        if (n <= 0) {
          break;
        }
        for (int i = 0; i < n; i++) {
          if (chunk[i] == '\n') {
            newlines++;
          }
        }
        position += n;
      }
    } catch (IOException e) {
      throw new EngineException(ErrorCode.SOURCE_ERROR, "Cannot read csv file " + file + ": " + e, e);
    }
    return newlines + 1;
  }

  /** How far planning got in one file. */
  private static final class FileProgress {
    final Path path;
    long consumed;
    long readableEnd;
    long knownSize = -1;

    FileProgress(Path path) {
      this.path = path;
    }
  }
}

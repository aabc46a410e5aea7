package io.dstream.executor.source;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.type.RowType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The append-only rows of one in-memory stream, shared by every query reading it. Rows hold
 * physical values (Long, Double, Boolean, String or null); offsets count rows from 0.
 * Thread-safe: appends are atomic, and a range once appended never changes.
 */
public final class MemoryLog {
  /**
   * Stores the rows of one append on workers before the append is acknowledged (cluster mode),
   * so that losing a worker loses no input. Blocks until the rows are stored.
   */
  public interface Replicator {
    /**
     * Stores {@code rows} as input block {@code sequence} of {@code stream}; returns the
     * workers holding a copy.
     *
     * @throws EngineException when the rows cannot be stored; the append then fails
     */
    List<String> replicate(String stream, long sequence, RowType rowType, List<Object[]> rows);

    /** Removes the copies of {@code blocks}, whose stream is gone. Best effort. */
    void release(String stream, List<InputBlock> blocks);
  }

  /** The rows {@code [start, end)} of the log, stored as input block {@code sequence}. */
  public record InputBlock(long start, long end, long sequence, List<String> replicas) {
    public InputBlock {
      replicas = List.copyOf(replicas);
    }

    public InputSplit split(String stream) {
      return new InputSplit(stream, sequence, replicas);
    }
  }

  private final String stream;
  private final List<Object[]> rows = new ArrayList<>(); // guarded by rows
  private final List<InputBlock> blocks = new ArrayList<>(); // guarded by rows
  /** Serializes appends, so that replication happens in offset order. */
  private final Object appendLock = new Object();
  private volatile RowType rowType;
  private volatile Replicator replicator;

  public MemoryLog(String stream) {
    this.stream = requireNonNull(stream, "stream is null");
  }

  public String stream() {
    return stream;
  }

  /** The row type the stream was declared with, if the log was told. */
  public Optional<RowType> rowType() {
    return Optional.ofNullable(rowType);
  }

  /**
   * From now on stores every append with {@code replicator} before it is visible; the log's
   * rows then form input blocks, which cluster sources plan one split each.
   */
  public void replicateWith(Replicator replicator) {
    this.replicator = requireNonNull(replicator, "replicator is null");
  }

  /** Has the replicator (if any) remove the stored copies of this log's input blocks. */
  public void release() {
    Replicator r = replicator;
    if (r != null) {
      r.release(stream, inputBlocks(0, end()));
    }
  }

  /** The input blocks within offsets {@code [from, to)}; empty when the log is not replicated. */
  public List<InputBlock> inputBlocks(long from, long to) {
    synchronized (rows) {
      List<InputBlock> result = new ArrayList<>();
      for (InputBlock block : blocks) {
        if (block.start() >= from && block.end() <= to) {
          result.add(block);
        }
      }
      return result;
    }
  }

  /** Whether appends are stored by a replicator (and read through input blocks). */
  public boolean replicated() {
    return replicator != null;
  }

  /** Records the stream's row type, which {@link #appendCsv(String...)} parses with. */
  public void bind(RowType type) {
    this.rowType = requireNonNull(type, "type is null");
  }

  /**
   * Appends copies of {@code newRows} atomically; returns the new end offset. When the row type
   * is known, each row must have one value per column. With a replicator, returns only once
   * the rows are stored on workers, and appends nothing when that fails.
   */
  public long append(List<Object[]> newRows) {
    RowType type = rowType;
    List<Object[]> copies = new ArrayList<>(newRows.size());
    for (Object[] row : newRows) {
      if (type != null && row.length != type.size()) {
        throw new EngineException(ErrorCode.VALIDATION_ERROR, "Stream " + stream + " has "
            + type.size() + " columns, but a row has " + row.length + " values");
      }
      copies.add(type == null ? row.clone() : normalize(type, row));
    }
    Replicator r = replicator;
    if (r == null || copies.isEmpty()) {
      synchronized (rows) {
        rows.addAll(copies);
        rows.notifyAll();
        return rows.size();
      }
    }
    if (type == null) {
      throw new IllegalStateException("the row type of replicated stream " + stream + " is unknown");
    }
    synchronized (appendLock) {
      long sequence;
      synchronized (rows) {
        sequence = blocks.size();
      }
      List<String> replicas = r.replicate(stream, sequence, type, copies);
      synchronized (rows) {
        long start = rows.size();
        rows.addAll(copies);
        blocks.add(new InputBlock(start, rows.size(), sequence, replicas));
        rows.notifyAll();
        return rows.size();
      }
    }
  }

  /**
   * Blocks until the log holds at least {@code offset} rows or {@code timeoutMillis} passed;
   * returns whether it does. For feeders and tests that must know rows arrived.
   */
  public boolean awaitEnd(long offset, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    synchronized (rows) {
      while (rows.size() < offset) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(rows, left);
      }
      return true;
    }
  }

  /** Parses csv lines with the bound row type and appends them; see {@link #appendCsv(RowType, String...)}. */
  public long appendCsv(String... lines) {
    RowType type = rowType;
    if (type == null) {
      throw new IllegalStateException("the row type of memory stream " + stream + " is unknown");
    }
    return appendCsv(type, lines);
  }

  /**
   * Parses csv text (one record per line, as the csv connector reads it; blank lines are
   * skipped) and appends the rows; all or nothing.
   *
   * @throws EngineException BAD_INPUT_DATA naming the 1-based line of the first bad record
   */
  public long appendCsv(RowType type, String... lines) {
    byte[] text = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    CsvRowParser parser = new CsvRowParser(type);
    List<Object[]> parsed = new ArrayList<>();
    int pos = 0;
    int line = 1;
    while (pos < text.length) {
      try {
        if (parser.tokenize(text, pos, text.length)) {
          parsed.add(parser.values());
        }
      } catch (CsvRowParser.BadRowException e) {
        throw new EngineException(ErrorCode.BAD_INPUT_DATA, "Cannot parse csv line " + line
            + " for stream " + stream + ": " + e.getMessage());
      }
      pos = parser.next();
      line++;
    }
    return append(parsed);
  }

  /** Converts values to the physical classes of {@code type}: Long, Double, Boolean, String. */
  private Object[] normalize(RowType type, Object[] row) {
    Object[] copy = new Object[row.length];
    for (int c = 0; c < row.length; c++) {
      Object value = row[c];
      if (value == null) {
        continue;
      }
      Object converted = switch (type.type(c).physical()) {
        case LONG -> value instanceof Number n && !(value instanceof Double || value instanceof Float)
            ? (Object) n.longValue() : null;
        case DOUBLE -> value instanceof Number n ? (Object) n.doubleValue() : null;
        case BOOLEAN -> value instanceof Boolean ? value : null;
        case STRING -> value instanceof CharSequence ? value.toString() : null;
      };
      if (converted == null) {
        throw new EngineException(ErrorCode.VALIDATION_ERROR, "Column '" + type.column(c).name()
            + "' of stream " + stream + " stores " + type.type(c).physical() + " values, not "
            + value.getClass().getSimpleName() + " " + value);
      }
      copy[c] = converted;
    }
    return copy;
  }

  /** The offset after the last row. */
  public long end() {
    synchronized (rows) {
      return rows.size();
    }
  }

  /** Copies of the rows in {@code [from, to)}. */
  public List<Object[]> read(long from, long to) {
    synchronized (rows) {
      if (from < 0 || from > to || to > rows.size()) {
        throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") of " + rows.size());
      }
      List<Object[]> result = new ArrayList<>((int) (to - from));
      for (int i = (int) from; i < to; i++) {
        Object[] row = rows.get(i);
        result.add(Arrays.copyOf(row, row.length));
      }
      return result;
    }
  }
}

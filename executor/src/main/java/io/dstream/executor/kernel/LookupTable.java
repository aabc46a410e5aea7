package io.dstream.executor.kernel;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.batch.ColumnBatch;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.ByteFunctionHelpers;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;

/**
 * The rows of a static table with a hash index on its key columns: the build side of a
 * broadcast hash join. Built once (per worker and query), then probed by many tasks at once: it
 * is immutable after {@link #build}, so probes need no locking.
 *
 * <p>Keys compare as SQL equality: a row with a NULL key is not indexed and a probe row with a
 * NULL key matches nothing; -0.0 equals 0.0. Rows with equal keys are chained in table order, so
 * matches come out in a deterministic order.
 *
 * <p>Ownership: the table owns its rows' vectors. It is reference counted: its creator holds one
 * reference, released by {@link #close}; a task {@link #retain}s it around each probe; the
 * vectors are freed when the last reference goes.
 */
public final class LookupTable implements AutoCloseable {
  private static final long SEED = 0x2545F4914F6CDD1DL;

  private final ColumnBatch rows;
  private final int[] keyColumns;
  /** Per key column: the values of a fixed-width key as longs, or null for a string key. */
  private final long[][] longKeys;
  private final VarCharVector[] stringKeys;
  private final long[] hashes;
  /** The next row with the same key, or -1. */
  private final int[] next;
  /** Per slot: the first row of a distinct key, or -1. */
  private final int[] slots;
  private final int mask;
  private final int distinctKeys;
  private final AtomicInteger references = new AtomicInteger(1);
  private final AtomicBoolean closed = new AtomicBoolean();

  private LookupTable(ColumnBatch rows, int[] keyColumns) {
    this.rows = rows;
    this.keyColumns = keyColumns.clone();
    int n = rows.rowCount();
    int keys = keyColumns.length;
    this.longKeys = new long[keys][];
    this.stringKeys = new VarCharVector[keys];
    boolean[] nullKey = new boolean[n];
    for (int k = 0; k < keys; k++) {
      FieldVector v = rows.vector(keyColumns[k]);
      if (v instanceof VarCharVector strings) {
        stringKeys[k] = strings;
        markNulls(v, n, nullKey);
      } else {
        longKeys[k] = keyValues(v, n, nullKey);
      }
    }
    this.hashes = new long[n];
    hash(hashes, n, longKeys, stringKeys);
    int capacity = Integer.highestOneBit(Math.max(4, n) * 2 - 1) << 1;
    this.slots = new int[capacity];
    this.mask = capacity - 1;
    this.next = new int[n];
    Arrays.fill(slots, -1);
    Arrays.fill(next, -1);
    int[] tails = new int[capacity];
    int distinct = 0;
    for (int r = 0; r < n; r++) {
      if (nullKey[r]) {
        continue;
      }
      int i = (int) hashes[r] & mask;
      while (true) {
        int head = slots[i];
        if (head < 0) {
          slots[i] = r;
          tails[i] = r;
          distinct++;
          break;
        }
        if (hashes[head] == hashes[r] && sameKey(head, r, longKeys, stringKeys)) {
          next[tails[i]] = r;
          tails[i] = r;
          break;
        }
        i = (i + 1) & mask;
      }
    }
    this.distinctKeys = distinct;
  }

  /**
   * Indexes {@code rows} on {@code keyColumns}; takes ownership of {@code rows}, also when this
   * throws.
   */
  public static LookupTable build(ColumnBatch rows, int[] keyColumns) {
    requireNonNull(rows, "rows is null");
    try {
      for (int column : keyColumns) {
        if (column < 0 || column >= rows.columnCount()) {
          throw new IllegalArgumentException("key column " + column + " out of range for " + rows.rowType());
        }
      }
      return new LookupTable(rows, keyColumns);
    } catch (RuntimeException | Error e) {
      rows.close();
      throw e;
    }
  }

  /** The table's rows; valid while the caller holds a reference. */
  public ColumnBatch rows() {
    return rows;
  }

  public int distinctKeys() {
    return distinctKeys;
  }

  /** Takes a reference; false when the table is already freed. */
  public boolean retain() {
    while (true) {
      int r = references.get();
      if (r <= 0) {
        return false;
      }
      if (references.compareAndSet(r, r + 1)) {
        return true;
      }
    }
  }

  /** Gives a reference back; the last one frees the rows. */
  public void release() {
    int r = references.decrementAndGet();
    if (r == 0) {
      rows.close();
    } else if (r < 0) {
      throw new IllegalStateException("lookup table released more often than retained");
    }
  }

  /** Releases the creator's reference (once; later calls do nothing). */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      release();
    }
  }

  /** Pairs of (probe row, table row), in probe row order; a table row of -1 means no match. */
  public static final class Matches {
    int[] probe;
    int[] build;
    int count;

    Matches(int capacity) {
      probe = new int[Math.max(capacity, 1)];
      build = new int[Math.max(capacity, 1)];
    }

    void add(int p, int b) {
      if (count == probe.length) {
        probe = Arrays.copyOf(probe, count * 2);
        build = Arrays.copyOf(build, count * 2);
      }
      probe[count] = p;
      build[count] = b;
      count++;
    }

    public int count() {
      return count;
    }

    public int[] probeRows() {
      return probe;
    }

    public int[] buildRows() {
      return build;
    }
  }

  /**
   * The table rows whose keys equal those of each row of {@code input} in columns
   * {@code inputKeys} (same physical types as the table's keys). With {@code outer}, a row
   * without any match gives one pair with table row -1.
   */
  public Matches probe(ColumnBatch input, int[] inputKeys, boolean outer) {
    int n = input.rowCount();
    int keys = keyColumns.length;
    if (inputKeys.length != keys) {
      throw new IllegalArgumentException("expected " + keys + " probe keys, got " + inputKeys.length);
    }
    boolean[] nullKey = new boolean[n];
    long[][] probeLongs = new long[keys][];
    VarCharVector[] probeStrings = new VarCharVector[keys];
    for (int k = 0; k < keys; k++) {
      FieldVector v = input.vector(inputKeys[k]);
      if ((v instanceof VarCharVector) != (stringKeys[k] != null)) {
        throw new IllegalArgumentException("probe key " + k + " is a " + v.getClass().getSimpleName()
            + " but the table's key is not of the same physical class");
      }
      if (v instanceof VarCharVector strings) {
        probeStrings[k] = strings;
        markNulls(v, n, nullKey);
      } else {
        probeLongs[k] = keyValues(v, n, nullKey);
      }
    }
    long[] probeHashes = new long[n];
    hash(probeHashes, n, probeLongs, probeStrings);
    Matches out = new Matches(n);
    for (int p = 0; p < n; p++) {
      int first = nullKey[p] ? -1 : find(probeHashes[p], p, probeLongs, probeStrings);
      if (first < 0) {
        if (outer) {
          out.add(p, -1);
        }
        continue;
      }
      for (int b = first; b >= 0; b = next[b]) {
        out.add(p, b);
      }
    }
    return out;
  }

  /** The first table row with the key of probe row {@code p}, or -1. */
  private int find(long hash, int p, long[][] probeLongs, VarCharVector[] probeStrings) {
    int i = (int) hash & mask;
    while (true) {
      int head = slots[i];
      if (head < 0) {
        return -1;
      }
      if (hashes[head] == hash && equalsProbe(head, p, probeLongs, probeStrings)) {
        return head;
      }
      i = (i + 1) & mask;
    }
  }

  private boolean equalsProbe(int row, int p, long[][] probeLongs, VarCharVector[] probeStrings) {
    for (int k = 0; k < keyColumns.length; k++) {
      if (longKeys[k] != null) {
        if (longKeys[k][row] != probeLongs[k][p]) {
          return false;
        }
      } else if (!sameString(stringKeys[k], row, probeStrings[k], p)) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameKey(int a, int b, long[][] longs, VarCharVector[] strings) {
    for (int k = 0; k < longs.length; k++) {
      if (longs[k] != null) {
        if (longs[k][a] != longs[k][b]) {
          return false;
        }
      } else if (!sameString(strings[k], a, strings[k], b)) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameString(VarCharVector x, int i, VarCharVector y, int j) {
    return ByteFunctionHelpers.equal(x.getDataBuffer(), x.getStartOffset(i), x.getEndOffset(i),
        y.getDataBuffer(), y.getStartOffset(j), y.getEndOffset(j)) == 1;
  }

  private static void markNulls(FieldVector v, int n, boolean[] nullKey) {
    if (v.getNullCount() == 0) {
      return;
    }
    for (int i = 0; i < n; i++) {
      if (v.isNull(i)) {
        nullKey[i] = true;
      }
    }
  }

  /** A fixed-width key column as longs (doubles by their bits, -0.0 as 0.0), marking NULLs. */
  private static long[] keyValues(FieldVector vector, int n, boolean[] nullKey) {
    markNulls(vector, n, nullKey);
    long[] out = new long[n];
    if (vector instanceof BigIntVector v) {
      ArrowBuf data = v.getDataBuffer();
      for (int i = 0; i < n; i++) {
        out[i] = data.getLong((long) i << 3);
      }
    } else if (vector instanceof Float8Vector v) {
      ArrowBuf data = v.getDataBuffer();
      for (int i = 0; i < n; i++) {
        double d = data.getDouble((long) i << 3);
        out[i] = Double.doubleToLongBits(d == 0.0 ? 0.0 : d);
      }
    } else if (vector instanceof BitVector v) {
      for (int i = 0; i < n; i++) {
        out[i] = nullKey[i] ? 0 : v.get(i);
      }
    } else {
      throw new IllegalArgumentException("unsupported join key vector " + vector.getClass().getSimpleName());
    }
    return out;
  }

  /** Hashes rows column by column: one typed loop per key column. */
  private static void hash(long[] out, int n, long[][] longs, VarCharVector[] strings) {
    Arrays.fill(out, SEED);
    for (int k = 0; k < longs.length; k++) {
      if (longs[k] != null) {
        long[] values = longs[k];
        for (int i = 0; i < n; i++) {
          out[i] = (out[i] ^ mix(values[i])) * 0x9E3779B97F4A7C15L;
        }
      } else {
        VarCharVector v = strings[k];
        ArrowBuf data = v.getDataBuffer();
        ArrowBuf offsets = v.getOffsetBuffer();
        for (int i = 0; i < n; i++) {
          long h = 1;
          int end = offsets.getInt((long) (i + 1) * 4);
          for (int b = offsets.getInt((long) i * 4); b < end; b++) {
            h = 31 * h + data.getByte(b);
          }
          out[i] = (out[i] ^ mix(h)) * 0x9E3779B97F4A7C15L;
        }
      }
    }
    for (int i = 0; i < n; i++) {
      out[i] = mix(out[i]);
    }
  }

  private static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    x *= 0xc4ceb9fe1a85ec53L;
    x ^= x >>> 33;
    return x;
  }
}

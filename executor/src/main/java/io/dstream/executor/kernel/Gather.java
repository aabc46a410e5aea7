package io.dstream.executor.kernel;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.util.TransferPair;

/** Copies selected rows of vectors into new vectors, with typed loops per physical class. */
public final class Gather {
  private Gather() {}

  /** A new batch of rows {@code rows[0..count)} of {@code in}; {@code in} is not consumed. */
  public static ColumnBatch take(ColumnBatch in, int[] rows, int count, BufferAllocator allocator) {
    List<FieldVector> out = new ArrayList<>(in.columnCount());
    try {
      for (int c = 0; c < in.columnCount(); c++) {
        out.add(take(in.vector(c), rows, count, allocator));
      }
    } catch (RuntimeException e) {
      out.forEach(FieldVector::close);
      throw e;
    }
    return new ColumnBatch(in.rowType(), out, count);
  }

  /**
   * A new vector of rows {@code rows[0..count)} of {@code vector} (each index at least 0);
   * {@code vector} is not consumed. The same loops as {@link #takeOrNull}, whose one more test per
   * row, of a negative index, always passes here.
   */
  public static FieldVector take(FieldVector vector, int[] rows, int count, BufferAllocator allocator) {
    return takeOrNull(vector, rows, count, allocator);
  }

  /**
   * A new vector of rows {@code rows[0..count)} of {@code vector}, where a negative row index gives
   * a NULL: the table side of an outer join's rows without a match. {@code vector} is not consumed.
   */
  public static FieldVector takeOrNull(FieldVector vector, int[] rows, int count, BufferAllocator allocator) {
    String name = vector.getField().getName();
    // allocateNew zeroes the validity bits, so positions left alone are NULL.
    if (vector instanceof BigIntVector v) {
      BigIntVector o = new BigIntVector(name, allocator);
      o.allocateNew(Math.max(count, 1));
      ArrowBuf src = v.getDataBuffer();
      ArrowBuf dst = o.getDataBuffer();
      boolean nulls = v.getNullCount() > 0;
      for (int k = 0; k < count; k++) {
        int r = rows[k];
        if (r >= 0 && (!nulls || !v.isNull(r))) {
          dst.setLong((long) k << 3, src.getLong((long) r << 3));
          BitVectorHelperShim.setValid(o, k);
        }
      }
      o.setValueCount(count);
      return o;
    }
    if (vector instanceof Float8Vector v) {
      Float8Vector o = new Float8Vector(name, allocator);
      o.allocateNew(Math.max(count, 1));
      for (int k = 0; k < count; k++) {
        int r = rows[k];
        if (r >= 0 && !v.isNull(r)) {
          o.set(k, v.get(r));
        }
      }
      o.setValueCount(count);
      return o;
    }
    if (vector instanceof BitVector v) {
      BitVector o = new BitVector(name, allocator);
      o.allocateNew(Math.max(count, 1));
      for (int k = 0; k < count; k++) {
        int r = rows[k];
        if (r >= 0 && !v.isNull(r)) {
          o.set(k, v.get(r));
        }
      }
      o.setValueCount(count);
      return o;
    }
    VarCharVector v = (VarCharVector) vector;
    VarCharVector o = new VarCharVector(name, allocator);
    ArrowBuf offsets = v.getOffsetBuffer();
    long bytes = 0;
    for (int k = 0; k < count; k++) {
      int r = rows[k];
      if (r >= 0) {
        bytes += offsets.getInt((long) (r + 1) * 4) - offsets.getInt((long) r * 4);
      }
    }
    o.allocateNew(Math.max(bytes, 1), Math.max(count, 1));
    for (int k = 0; k < count; k++) {
      if (rows[k] >= 0) {
        o.copyFrom(rows[k], k, v);
      }
    }
    o.setValueCount(count);
    return o;
  }

  /** A new vector sharing the buffers of {@code vector} (zero copy), owned by the caller. */
  public static FieldVector share(FieldVector vector, BufferAllocator allocator) {
    TransferPair pair = vector.getTransferPair(vector.getField().getName(), allocator);
    pair.splitAndTransfer(0, vector.getValueCount());
    return (FieldVector) pair.getTo();
  }

  /** A new batch sharing all buffers of {@code in} (zero copy). */
  public static ColumnBatch share(ColumnBatch in, BufferAllocator allocator) {
    List<FieldVector> out = new ArrayList<>(in.columnCount());
    for (int c = 0; c < in.columnCount(); c++) {
      out.add(share(in.vector(c), allocator));
    }
    return new ColumnBatch(in.rowType(), out, in.rowCount());
  }

  /** Concatenates batches of the same row type into one new batch; inputs are not consumed. */
  public static ColumnBatch concat(RowType rowType, List<ColumnBatch> parts, BufferAllocator allocator) {
    int total = 0;
    for (ColumnBatch p : parts) {
      total += p.rowCount();
    }
    List<FieldVector> out = new ArrayList<>(rowType.size());
    for (int c = 0; c < rowType.size(); c++) {
      FieldVector o = ColumnBatch.newVector(rowType.column(c).name(), rowType.type(c), allocator);
      o.setInitialCapacity(Math.max(total, 1));
      o.allocateNew();
      int at = 0;
      for (ColumnBatch p : parts) {
        FieldVector src = p.vector(c);
        for (int r = 0; r < p.rowCount(); r++) {
          o.copyFromSafe(r, at + r, src);
        }
        at += p.rowCount();
      }
      o.setValueCount(total);
      out.add(o);
    }
    return new ColumnBatch(rowType, out, total);
  }

  /** Sets validity bits directly, so typed loops avoid a bounds-checked set per value. */
  static final class BitVectorHelperShim {
    private BitVectorHelperShim() {}

    static void setValid(BigIntVector v, int index) {
      org.apache.arrow.vector.BitVectorHelper.setBit(v.getValidityBuffer(), index);
    }
  }
}

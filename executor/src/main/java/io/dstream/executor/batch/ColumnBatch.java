package io.dstream.executor.batch;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;

/**
 * A columnar batch of rows: one Arrow vector per column of a {@link RowType}. LONG-stored types
 * live in {@link BigIntVector}, DOUBLE in {@link Float8Vector}, BOOLEAN in {@link BitVector} and
 * strings in {@link VarCharVector}. The batch owns its vectors; closing it releases them.
 */
public final class ColumnBatch implements AutoCloseable {
  private final RowType rowType;
  private final List<FieldVector> vectors;
  private final int rowCount;

  /** Takes ownership of the vectors, whose value counts must equal {@code rowCount}. */
  public ColumnBatch(RowType rowType, List<FieldVector> vectors, int rowCount) {
    this.rowType = requireNonNull(rowType, "rowType is null");
    this.vectors = List.copyOf(vectors);
    this.rowCount = rowCount;
    if (vectors.size() != rowType.size()) {
      throw new IllegalArgumentException("expected " + rowType.size() + " vectors, got " + vectors.size());
    }
  }

  public static ColumnBatch empty(RowType rowType, BufferAllocator allocator) {
    List<FieldVector> vectors = new ArrayList<>();
    for (int i = 0; i < rowType.size(); i++) {
      FieldVector v = newVector(rowType.column(i).name(), rowType.type(i), allocator);
      v.setValueCount(0);
      vectors.add(v);
    }
    return new ColumnBatch(rowType, vectors, 0);
  }

  /** Allocates an empty vector of the physical class for {@code type}. */
  public static FieldVector newVector(String name, DataType type, BufferAllocator allocator) {
    return switch (type.physical()) {
      case BOOLEAN -> new BitVector(name, allocator);
      case LONG -> new BigIntVector(name, allocator);
      case DOUBLE -> new Float8Vector(name, allocator);
      case STRING -> new VarCharVector(name, allocator);
    };
  }

  public RowType rowType() {
    return rowType;
  }

  public int rowCount() {
    return rowCount;
  }

  public int columnCount() {
    return vectors.size();
  }

  public FieldVector vector(int index) {
    return vectors.get(index);
  }

  public BigIntVector longs(int index) {
    return (BigIntVector) vectors.get(index);
  }

  public Float8Vector doubles(int index) {
    return (Float8Vector) vectors.get(index);
  }

  public BitVector booleans(int index) {
    return (BitVector) vectors.get(index);
  }

  public VarCharVector strings(int index) {
    return (VarCharVector) vectors.get(index);
  }

  public long sizeInBytes() {
    long total = 0;
    for (FieldVector v : vectors) {
      total += v.getBufferSize();
    }
    return total;
  }

  /** Hands the vectors to a new batch with another row type of the same physical layout. */
  public ColumnBatch transferAs(RowType newType) {
    return new ColumnBatch(newType, vectors, rowCount);
  }

  @Override
  public void close() {
    for (FieldVector v : vectors) {
      v.close();
    }
  }

  @Override
  public String toString() {
    return "ColumnBatch[" + rowCount + " rows, " + rowType + "]";
  }
}

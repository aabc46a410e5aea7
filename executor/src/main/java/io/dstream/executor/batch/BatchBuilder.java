package io.dstream.executor.batch;

import io.dstream.executor.type.RowType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Appends values row by row into fresh vectors (used by sources and tests, not by kernels).
 * Not thread-safe. {@link #build()} hands the vectors over; {@link #close()} frees them if
 * {@code build} was never called.
 */
public final class BatchBuilder implements AutoCloseable {
  private final RowType rowType;
  private final List<FieldVector> vectors = new ArrayList<>();
  private int rows;
  private boolean built;

  public BatchBuilder(RowType rowType, BufferAllocator allocator) {
    this(rowType, allocator, 1024);
  }

  public BatchBuilder(RowType rowType, BufferAllocator allocator, int expectedRows) {
    this.rowType = rowType;
    for (int i = 0; i < rowType.size(); i++) {
      FieldVector v = ColumnBatch.newVector(rowType.column(i).name(), rowType.type(i), allocator);
      v.setInitialCapacity(Math.max(16, expectedRows));
      v.allocateNew();
      vectors.add(v);
    }
  }

  public RowType rowType() {
    return rowType;
  }

  public int rowCount() {
    return rows;
  }

  public void setNull(int column) {
    FieldVector v = vectors.get(column);
    switch (rowType.type(column).physical()) {
      case BOOLEAN -> ((BitVector) v).setNull(rows);
      case LONG -> ((BigIntVector) v).setNull(rows);
      case DOUBLE -> ((Float8Vector) v).setNull(rows);
      case STRING -> ((VarCharVector) v).setNull(rows);
    }
  }

  public void setLong(int column, long value) {
    ((BigIntVector) vectors.get(column)).setSafe(rows, value);
  }

  public void setDouble(int column, double value) {
    ((Float8Vector) vectors.get(column)).setSafe(rows, value);
  }

  public void setBoolean(int column, boolean value) {
    ((BitVector) vectors.get(column)).setSafe(rows, value ? 1 : 0);
  }

  public void setString(int column, String value) {
    ((VarCharVector) vectors.get(column)).setSafe(rows, value.getBytes(StandardCharsets.UTF_8));
  }

  public void setBytes(int column, byte[] value, int start, int length) {
    ((VarCharVector) vectors.get(column)).setSafe(rows, value, start, length);
  }

  /**
   * Sets a value from its physical Java form: Long, Double, Boolean, String or null.
   */
  public void setValue(int column, Object value) {
    if (value == null) {
      setNull(column);
      return;
    }
    switch (rowType.type(column).physical()) {
      case BOOLEAN -> setBoolean(column, (Boolean) value);
      case LONG -> setLong(column, ((Number) value).longValue());
      case DOUBLE -> setDouble(column, ((Number) value).doubleValue());
      case STRING -> setString(column, value.toString());
    }
  }

  /** Ends the current row. Columns not set in it are null. */
  public void endRow() {
    rows++;
  }

  /** Hands the vectors over to a new batch; this builder must not be used afterwards. */
  public ColumnBatch build() {
    for (FieldVector v : vectors) {
      v.setValueCount(rows);
    }
    built = true;
    return new ColumnBatch(rowType, vectors, rows);
  }

  @Override
  public void close() {
    if (!built) {
      for (FieldVector v : vectors) {
        v.close();
      }
    }
  }
}

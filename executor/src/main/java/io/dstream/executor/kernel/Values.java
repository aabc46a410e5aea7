package io.dstream.executor.kernel;

import io.dstream.executor.type.DataType;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;

/**
 * An intermediate column of an expression's values, held in a primitive array chosen by the
 * type's physical class. Strings are either borrowed from an input vector or computed.
 * {@code nulls} is null when no value is null.
 */
final class Values {
  final DataType type;
  final int size;
  long[] longs;
  double[] doubles;
  boolean[] booleans;
  VarCharVector stringVector;
  String[] strings;
  boolean[] nulls;

  Values(DataType type, int size) {
    this.type = type;
    this.size = size;
  }

  static Values longs(DataType type, long[] values, boolean[] nulls) {
    Values v = new Values(type, values.length);
    v.longs = values;
    v.nulls = nulls;
    return v;
  }

  static Values doubles(DataType type, double[] values, boolean[] nulls) {
    Values v = new Values(type, values.length);
    v.doubles = values;
    v.nulls = nulls;
    return v;
  }

  static Values booleans(DataType type, boolean[] values, boolean[] nulls) {
    Values v = new Values(type, values.length);
    v.booleans = values;
    v.nulls = nulls;
    return v;
  }

  static Values strings(DataType type, String[] values) {
    Values v = new Values(type, values.length);
    v.strings = values;
    boolean[] nulls = null;
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        if (nulls == null) {
          nulls = new boolean[values.length];
        }
        nulls[i] = true;
      }
    }
    v.nulls = nulls;
    return v;
  }

  boolean isNull(int i) {
    return nulls != null && nulls[i];
  }

  String string(int i) {
    if (strings != null) {
      return strings[i];
    }
    return stringVector.isNull(i) ? null : new String(stringVector.get(i), StandardCharsets.UTF_8);
  }

  /** Writes the values into a new vector owned by the caller. */
  FieldVector toVector(String name, BufferAllocator allocator) {
    switch (type.physical()) {
      case LONG -> {
        BigIntVector out = new BigIntVector(name, allocator);
        out.allocateNew(size);
        for (int i = 0; i < size; i++) {
          if (nulls != null && nulls[i]) {
            out.setNull(i);
          } else {
            out.set(i, longs[i]);
          }
        }
        out.setValueCount(size);
        return out;
      }
      case DOUBLE -> {
        Float8Vector out = new Float8Vector(name, allocator);
        out.allocateNew(size);
        for (int i = 0; i < size; i++) {
          if (nulls != null && nulls[i]) {
            out.setNull(i);
          } else {
            out.set(i, doubles[i]);
          }
        }
        out.setValueCount(size);
        return out;
      }
      case BOOLEAN -> {
        BitVector out = new BitVector(name, allocator);
        out.allocateNew(size);
        for (int i = 0; i < size; i++) {
          if (nulls != null && nulls[i]) {
            out.setNull(i);
          } else {
            out.set(i, booleans[i] ? 1 : 0);
          }
        }
        out.setValueCount(size);
        return out;
      }
      case STRING -> {
        VarCharVector out = new VarCharVector(name, allocator);
        if (stringVector != null) {
          out.allocateNew(Math.max(1, stringVector.getDataBuffer().writerIndex()), size);
          for (int i = 0; i < size; i++) {
            out.copyFromSafe(i, i, stringVector);
          }
        } else {
          out.allocateNew(size);
          for (int i = 0; i < size; i++) {
            if (strings[i] == null) {
              out.setNull(i);
            } else {
              out.setSafe(i, strings[i].getBytes(StandardCharsets.UTF_8));
            }
          }
        }
        out.setValueCount(size);
        return out;
      }
      default -> throw new IllegalStateException("unknown physical type " + type);
    }
  }
}

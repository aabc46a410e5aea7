package io.dstream.executor.codec;

import java.util.HashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * A fixed mapping between the constants of an enum and the one-byte codes that stand for them on
 * the wire, so that reordering or adding constants never changes the meaning of old bytes.
 * Immutable and thread-safe.
 */
final class CodeTable<E extends Enum<E>> {
  private final String name;
  private final ToIntFunction<E> codes;
  private final Map<Integer, E> byCode = new HashMap<>();

  /** {@code codes} gives each constant a distinct code in 0..255; checked here, once. */
  CodeTable(Class<E> type, ToIntFunction<E> codes) {
    this.name = type.getSimpleName();
    this.codes = codes;
    for (E constant : type.getEnumConstants()) {
      int code = codes.applyAsInt(constant);
      if (code < 0 || code > 255) {
        throw new IllegalStateException(name + "." + constant + " has code " + code + " outside 0..255");
      }
      E previous = byCode.put(code, constant);
      if (previous != null) {
        throw new IllegalStateException(name + "." + previous + " and " + constant + " share code " + code);
      }
    }
  }

  int code(E constant) {
    return codes.applyAsInt(constant);
  }

  /** The constant of {@code code}, or a CodecException naming the enum and the offset. */
  E constant(int code, int offset) {
    E constant = byCode.get(code);
    if (constant == null) {
      throw new CodecException("unknown " + name + " code " + code + " at offset " + offset);
    }
    return constant;
  }
}

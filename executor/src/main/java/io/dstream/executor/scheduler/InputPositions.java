package io.dstream.executor.scheduler;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a query with several inputs stands, as one opaque source position: each input's own
 * position and watermark, so that a resumed query plans the same batches and computes the same
 * watermarks as before. Text form: {@code inputs:N} then, per input, {@code ;watermark,length:position}.
 * Empty when an input cannot be replayed (its position is empty).
 */
record InputPositions(List<String> positions, long[] watermarks) {
  private static final String PREFIX = "inputs:";

  static String encode(List<String> positions, long[] watermarks) {
    StringBuilder sb = new StringBuilder(PREFIX).append(positions.size());
    for (int i = 0; i < positions.size(); i++) {
      String p = positions.get(i);
      if (p.isEmpty()) {
        return "";
      }
      sb.append(';').append(watermarks[i]).append(',').append(p.length()).append(':').append(p);
    }
    return sb.toString();
  }

  static InputPositions decode(String text, int inputs) {
    try {
      if (!text.startsWith(PREFIX)) {
        throw new IllegalArgumentException("no '" + PREFIX + "' prefix");
      }
      int at = text.indexOf(';', PREFIX.length());
      int count = Integer.parseInt(at < 0 ? text.substring(PREFIX.length()) : text.substring(PREFIX.length(), at));
      if (count != inputs) {
        throw new IllegalArgumentException(count + " inputs recorded, the query has " + inputs);
      }
      List<String> positions = new ArrayList<>();
      long[] watermarks = new long[count];
      for (int i = 0; i < count; i++) {
        int comma = text.indexOf(',', at + 1);
        int colon = text.indexOf(':', comma + 1);
        watermarks[i] = Long.parseLong(text.substring(at + 1, comma));
        int length = Integer.parseInt(text.substring(comma + 1, colon));
        positions.add(text.substring(colon + 1, colon + 1 + length));
        at = colon + 1 + length;
      }
      if (at != text.length()) {
        throw new IllegalArgumentException("trailing text");
      }
      return new InputPositions(positions, watermarks);
    } catch (RuntimeException e) {
      throw new EngineException(ErrorCode.INTERNAL_ERROR, "Malformed position of a query with several inputs: '"
          + text + "': " + e.getMessage(), e);
    }
  }
}

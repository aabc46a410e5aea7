package io.dstream.executor.source;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.block.BlockId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A split that reads one replicated input block of a non-replayable stream (memory, socket) in
 * cluster mode. It travels as a plain {@link SourceSplit} whose path is
 * {@code input:<stream>:<sequence>:<worker>,<worker>}, so the plan codec needs no change.
 */
public record InputSplit(String stream, long sequence, List<String> replicas) {
  private static final String PREFIX = "input:";

  public InputSplit {
    requireNonNull(stream, "stream is null");
    replicas = List.copyOf(replicas);
    if (replicas.isEmpty()) {
      throw new IllegalArgumentException("input block " + sequence + " of " + stream + " has no replica");
    }
  }

  /** The id every replica of block {@code sequence} of {@code stream} is stored under. */
  public static BlockId blockId(String stream, long sequence) {
    return new BlockId(PREFIX + stream, sequence, BlockId.Kind.INPUT, 0, 0);
  }

  public BlockId blockId() {
    return blockId(stream, sequence);
  }

  /** The split of log offsets {@code [start, end)}, which this block holds. */
  public SourceSplit toSplit(long start, long end) {
    return new SourceSplit(PREFIX + stream + ":" + sequence + ":" + String.join(",", replicas), start, end);
  }

  /** The input block a split reads, or empty for a split of a log in this process. */
  public static Optional<InputSplit> of(SourceSplit split) {
    String path = split.path();
    if (!path.startsWith(PREFIX)) {
      return Optional.empty();
    }
    int replicasAt = path.lastIndexOf(':');
    int sequenceAt = path.lastIndexOf(':', replicasAt - 1);
    if (sequenceAt < PREFIX.length()) {
      throw new IllegalArgumentException("malformed input split " + path);
    }
    try {
      return Optional.of(new InputSplit(path.substring(PREFIX.length(), sequenceAt),
          Long.parseLong(path.substring(sequenceAt + 1, replicasAt)),
          Arrays.asList(path.substring(replicasAt + 1).split(","))));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("malformed input split " + path, e);
    }
  }
}

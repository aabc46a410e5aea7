package io.dstream.executor.block;

import static java.util.Objects.requireNonNull;

/** A block and the worker whose block store holds it. */
public record BlockLocation(String worker, BlockId block) {
  public BlockLocation {
    requireNonNull(worker, "worker is null");
    requireNonNull(block, "block is null");
  }
}

package io.dstream.executor.kernel;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.batch.ColumnBatch;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * What a kernel may use while running inside one task: the task's allocator, the watermark
 * at the start of the batch, its processing time, and counters it reports back. Confined to the task's thread.
 */
public final class KernelContext {
  private final BufferAllocator allocator;
  private final long previousWatermark;
  private final long processingTime;
  private long lateRows;
  private int[] tracked;
  private final List<ColumnBatch> lateBatches = new ArrayList<>();

  public KernelContext(BufferAllocator allocator, long previousWatermark) {
    this(allocator, previousWatermark, Long.MIN_VALUE);
  }

  public KernelContext(BufferAllocator allocator, long previousWatermark, long processingTime) {
    this.allocator = requireNonNull(allocator, "allocator is null");
    this.previousWatermark = previousWatermark;
    this.processingTime = processingTime;
  }

  /**
   * The processing time of the batch's rows, PROCTIME(): the start of the batch interval, or
   * Long.MIN_VALUE where there is none (reduce tasks).
   */
  public long processingTime() {
    return processingTime;
  }

  public BufferAllocator allocator() {
    return allocator;
  }

  public long previousWatermark() {
    return previousWatermark;
  }

  public void addLateRows(long count) {
    lateRows += count;
  }

  public long lateRows() {
    return lateRows;
  }

  /**
   * Starts following which of {@code rows} input rows survive the filters applied from now on
   * (see {@link #trackedRows}).
   */
  public void trackRows(int rows) {
    tracked = new int[rows];
    for (int i = 0; i < rows; i++) {
      tracked[i] = i;
    }
  }

  /** Called by a filter that kept rows {@code selection[0..count)} of its input. */
  public void keep(int[] selection, int count) {
    if (tracked == null) {
      return;
    }
    int[] next = new int[count];
    for (int i = 0; i < count; i++) {
      next[i] = tracked[selection[i]];
    }
    tracked = next;
  }

  /** For each row of the current batch, its row in the batch given to {@link #trackRows}. */
  public int[] trackedRows() {
    return tracked;
  }

  /** Hands over late rows (dropped by window assignment) that the task keeps for its query. */
  public void addLateBatch(ColumnBatch rows) {
    lateBatches.add(rows);
  }

  /** The late rows handed over so far; the caller takes ownership. */
  public List<ColumnBatch> takeLateBatches() {
    List<ColumnBatch> out = new ArrayList<>(lateBatches);
    lateBatches.clear();
    return out;
  }
}

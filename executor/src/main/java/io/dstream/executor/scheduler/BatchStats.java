package io.dstream.executor.scheduler;

/**
 * What one batch of a query did: its time, how long it waited to start (scheduling delay) and
 * ran (processing time), its rows, and the watermark after it.
 */
public record BatchStats(long batch, long batchTime, long schedulingDelayMillis,
    long processingMillis, long inputRows, long outputRows, long lateRows, long watermark) {}

package io.dstream.executor.scheduler;

/**
 * What one batch of a query did: its time, how long it waited to start (scheduling delay) and
 * ran (processing time), its rows, the watermark after it, and how many speculative copies of
 * straggling tasks it launched and how many of them finished first.
 */
public record BatchStats(long batch, long batchTime, long schedulingDelayMillis,
    long processingMillis, long inputRows, long outputRows, long lateRows, long watermark,
    long speculativeTasks, long speculativeWins) {}

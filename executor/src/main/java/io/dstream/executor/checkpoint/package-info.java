/**
 * Asynchronous checkpoints of keyed state: the on-disk layout of checkpoint files (Arrow IPC),
 * how one file is written durably, and the driver-side coordinator that decides when state is
 * checkpointed and when a checkpoint is complete, so that lineage can be truncated.
 */
package io.dstream.executor.checkpoint;

/**
 * Wire formats between the driver and workers: plans, tasks and task results as a versioned
 * binary format written field by field ({@link io.dstream.executor.codec.PlanCodec}), and column
 * batches as Arrow IPC streams ({@link io.dstream.executor.codec.BatchCodec}). Nothing here uses
 * Java serialization or reflection-driven data binding; malformed input fails with a
 * {@link io.dstream.executor.codec.CodecException}.
 */
package io.dstream.executor.codec;

/** The driver side of the D-stream runtime: job generation per batch, stages, tasks. */
package io.dstream.executor.scheduler;

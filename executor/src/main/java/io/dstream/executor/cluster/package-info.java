/**
 * Cluster mode: the driver's transport to worker processes over the framed protocol, and the
 * worker process that registers with the driver and runs its tasks.
 */
package io.dstream.executor.cluster;

/** Block ids and the per-worker block store that holds every dataset partition. */
package io.dstream.executor.block;

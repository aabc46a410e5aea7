/** Sinks: where continuous query output is committed, idempotently by batch id. */
package io.dstream.executor.sink;

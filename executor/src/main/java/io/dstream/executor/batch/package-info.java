/** Columnar batches of rows held in Arrow vectors, and their builders and readers. */
package io.dstream.executor.batch;

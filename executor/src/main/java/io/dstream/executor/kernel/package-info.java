/** Columnar kernels: expression evaluation, filter, project, window assignment, hash aggregation. */
package io.dstream.executor.kernel;

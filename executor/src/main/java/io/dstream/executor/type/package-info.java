/** SQL data types and row types as the executor sees them, free of Calcite. */
package io.dstream.executor.type;

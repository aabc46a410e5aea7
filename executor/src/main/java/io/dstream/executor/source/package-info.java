/** Sources: connectors that plan each batch's input as deterministic splits and read them. */
package io.dstream.executor.source;

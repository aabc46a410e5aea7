/** The engine's exception type and error codes. */
package io.dstream.executor.error;

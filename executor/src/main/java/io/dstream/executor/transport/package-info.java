/** The driver-to-worker transport: an interface, with an in-process implementation. */
package io.dstream.executor.transport;

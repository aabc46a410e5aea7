/** Processing-time clocks: the system clock, and a manual clock for deterministic tests. */
package io.dstream.executor.time;

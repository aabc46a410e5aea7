/** Validation and planning of streaming SQL into the executor's D-stream plans. */
package io.dstream.planner;

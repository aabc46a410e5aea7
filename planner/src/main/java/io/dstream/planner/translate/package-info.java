/** Translation of optimized Calcite plans and expressions into the executor's plan records. */
package io.dstream.planner.translate;

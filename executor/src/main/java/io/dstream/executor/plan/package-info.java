/** The plan the planner hands to the executor: records of operators and typed expressions. */
package io.dstream.executor.plan;

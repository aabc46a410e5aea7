/**
 * The keyed, stateful side of a query: what its map tasks shuffle and how each reduce partition
 * folds the shuffled blocks into the state it carries from batch to batch
 * (state(b) = f(state(b-1), input(b))), emitting what became final. One
 * {@link io.dstream.executor.stateful.StatefulOperator} per kind of stateful plan node.
 */
package io.dstream.executor.stateful;

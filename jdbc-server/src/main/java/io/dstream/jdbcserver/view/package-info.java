/**
 * Materialized views: a continuous query's changelog applied to an in-memory multiset table
 * ({@link io.dstream.jdbcserver.view.ViewTable}) by a sink ({@link io.dstream.jdbcserver.view.ViewSink}),
 * published after each batch as an immutable {@link io.dstream.jdbcserver.view.ViewSnapshot}, and
 * pull queries over the snapshots run by Calcite's own execution ({@link io.dstream.jdbcserver.view.PullQuery}).
 */
package io.dstream.jdbcserver.view;

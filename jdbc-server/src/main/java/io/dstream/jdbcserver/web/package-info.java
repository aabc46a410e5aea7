/**
 * A small read-only web face of the engine on its own port, served by Netty: a status page of
 * the running queries and workers, the same data as JSON, and Prometheus metrics.
 */
package io.dstream.jdbcserver.web;

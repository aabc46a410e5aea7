/**
 * The JDBC face of the engine: an Avatica {@code Meta} over a {@code SqlEngine}, which serves
 * statements, push queries as never-ending long-poll result sets, and DatabaseMetaData, and
 * the HTTP server that exposes it to the Avatica remote driver.
 */
package io.dstream.jdbcserver.meta;

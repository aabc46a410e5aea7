/** The {@code dstream} command line: {@code server}, {@code sql} (sqlline) and {@code demo}. */
package io.dstream.jdbcserver.cli;

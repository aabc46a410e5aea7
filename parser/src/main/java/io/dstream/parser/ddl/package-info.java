/** SqlNode classes for DStream's DDL and utility statements (CREATE STREAM, DROP, SHOW, EXPLAIN). */
package io.dstream.parser.ddl;

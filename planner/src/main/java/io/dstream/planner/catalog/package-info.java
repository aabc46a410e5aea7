/** The catalog of streams and tables. */
package io.dstream.planner.catalog;

/** The catalog as Calcite sees it: schema, streamable tables and type mapping. */
package io.dstream.planner.schema;

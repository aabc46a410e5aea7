/** Golden SQL scripts, end-to-end JDBC and CLI tests; the code lives in the test sources. */
package io.dstream.sqltests;

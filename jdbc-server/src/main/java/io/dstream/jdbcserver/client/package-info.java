/** Client-side helpers for the Avatica remote driver talking to a DStream SQL server. */
package io.dstream.jdbcserver.client;

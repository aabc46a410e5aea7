/**
 * Scalar function classes for the SQL tests (CREATE FUNCTION name AS 'class'): on the test
 * classpath, so the engine under test and the worker processes the tests start load them.
 */
package io.dstream.sqltests.functions;

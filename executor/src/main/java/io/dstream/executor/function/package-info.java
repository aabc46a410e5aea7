/**
 * User-defined scalar functions: Java classes with public {@code eval} methods, loaded by name
 * from the classpath, their SQL signatures, and method handles bound to them.
 */
package io.dstream.executor.function;

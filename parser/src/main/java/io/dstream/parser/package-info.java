/** Entry point of the DStream SQL parser: parser configuration, parsing and syntax errors. */
package io.dstream.parser;

/** The JavaCC parser generated from Calcite's Parser.jj plus DStream's grammar extensions. */
package io.dstream.parser.impl;

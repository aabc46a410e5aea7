/** Workers: task slots running map and reduce tasks, each with its block store. */
package io.dstream.executor.worker;

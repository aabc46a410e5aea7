package io.dstream.executor.scheduler;

/** The life cycle of a running query. */
public enum QueryState { RUNNING, FINISHED, FAILED, STOPPED }

package io.dstream.jdbcserver.web;

import java.util.function.ToLongFunction;

/** The engine's status in the Prometheus text exposition format (version 0.0.4). */
final class Metrics {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private Metrics() {}

  static String render(EngineStatus status) {
    StringBuilder out = new StringBuilder();
    header(out, "dstream_workers", "gauge", "Workers the driver can reach.");
    out.append("dstream_workers ").append(status.workers().size()).append('\n');
    header(out, "dstream_queries", "gauge", "Queries the engine runs.");
    out.append("dstream_queries ").append(status.queries().size()).append('\n');
    header(out, "dstream_query_info", "gauge", "One series per query, labelled with its state.");
    for (EngineStatus.Query q : status.queries()) {
      out.append("dstream_query_info{query=\"").append(escape(q.id())).append("\",state=\"")
          .append(escape(q.state())).append("\"} 1\n");
    }
    counter(out, status, "dstream_query_input_rows_total", "Rows read by the query.", EngineStatus.Query::inputRows);
    counter(out, status, "dstream_query_output_rows_total", "Rows the query emitted.", EngineStatus.Query::outputRows);
    counter(out, status, "dstream_query_late_rows_total", "Rows dropped as later than the watermark.",
        EngineStatus.Query::lateRows);
    counter(out, status, "dstream_query_batches_total", "Batches the query completed.", EngineStatus.Query::batches);
    gauge(out, status, "dstream_query_state_rows", "Rows of keyed state after the last batch.",
        EngineStatus.Query::stateRows);
    lastBatch(out, status, "dstream_query_last_batch_processing_ms", "Processing time of the last batch.",
        EngineStatus.Batch::processingMillis);
    lastBatch(out, status, "dstream_query_last_scheduling_delay_ms", "Scheduling delay of the last batch.",
        EngineStatus.Batch::schedulingDelayMillis);
    lastBatch(out, status, "dstream_query_last_batch_input_rows", "Rows read by the last batch.",
        EngineStatus.Batch::inputRows);
    header(out, "dstream_view_rows", "gauge", "Rows of the materialized view after its last completed batch.");
    for (EngineStatus.View v : status.views()) {
      out.append("dstream_view_rows{view=\"").append(escape(v.name())).append("\"} ").append(v.rows()).append('\n');
    }
    header(out, "dstream_view_last_batch", "gauge", "Last completed batch of the view's query (-1: none yet).");
    for (EngineStatus.View v : status.views()) {
      out.append("dstream_view_last_batch{view=\"").append(escape(v.name())).append("\"} ").append(v.lastBatch())
          .append('\n');
    }
    header(out, "dstream_view_failed", "gauge", "1 if the view's query failed (the view is no longer maintained).");
    for (EngineStatus.View v : status.views()) {
      out.append("dstream_view_failed{view=\"").append(escape(v.name())).append("\"} ")
          .append(v.state().startsWith("FAILED") ? 1 : 0).append('\n');
    }
    header(out, "dstream_view_subscribers", "gauge", "SELECT STREAM subscriptions to the view's changelog.");
    for (EngineStatus.View v : status.views()) {
      out.append("dstream_view_subscribers{view=\"").append(escape(v.name())).append("\"} ").append(v.subscribers())
          .append('\n');
    }
    return out.toString();
  }

  private static void counter(StringBuilder out, EngineStatus status, String name, String help,
      ToLongFunction<EngineStatus.Query> value) {
    series(out, status, name, "counter", help, value);
  }

  private static void gauge(StringBuilder out, EngineStatus status, String name, String help,
      ToLongFunction<EngineStatus.Query> value) {
    series(out, status, name, "gauge", help, value);
  }

  private static void series(StringBuilder out, EngineStatus status, String name, String type, String help,
      ToLongFunction<EngineStatus.Query> value) {
    header(out, name, type, help);
    for (EngineStatus.Query q : status.queries()) {
      sample(out, name, q, value.applyAsLong(q));
    }
  }

  /** A gauge of each query's newest batch; queries without a batch yet have no sample. */
  private static void lastBatch(StringBuilder out, EngineStatus status, String name, String help,
      ToLongFunction<EngineStatus.Batch> value) {
    header(out, name, "gauge", help);
    for (EngineStatus.Query q : status.queries()) {
      EngineStatus.Batch last = q.last();
      if (last != null) {
        sample(out, name, q, value.applyAsLong(last));
      }
    }
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder out, String name, EngineStatus.Query q, long value) {
    out.append(name).append("{query=\"").append(escape(q.id())).append("\"} ").append(value).append('\n');
  }

  /** Label values escape backslash, double quote and newline. */
  static String escape(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}

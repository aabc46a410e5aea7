package io.dstream.jdbcserver.web;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The HTML status page: one section per query with its counters and small inline SVG plots of
 * its recent batches, and the workers. Self-contained (no scripts, no external resources); it
 * reloads itself every few seconds.
 */
final class StatusPage {
  static final String CONTENT_TYPE = "text/html; charset=utf-8";
  private static final int PLOT_WIDTH = 260;
  private static final int PLOT_HEIGHT = 48;
  private static final int REFRESH_SECONDS = 5;

  private StatusPage() {}

  static String render(EngineStatus status) {
    StringBuilder out = new StringBuilder(4096);
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"refresh\" content=\"").append(REFRESH_SECONDS).append("\">")
        .append("<title>DStream SQL</title><style>")
        .append("body{font-family:sans-serif;margin:1.5em;color:#222}")
        .append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .6em;")
        .append("text-align:left;vertical-align:top}th{background:#f3f3f3}")
        .append("pre{background:#f7f7f7;padding:.5em;white-space:pre-wrap;margin:.3em 0}")
        .append(".query{border:1px solid #ddd;padding:.5em 1em;margin:1em 0}")
        .append(".plots{display:flex;flex-wrap:wrap;gap:1.5em}.plot figcaption{font-size:.85em;color:#555}")
        .append("svg.spark{background:#fafafa;border:1px solid #e3e3e3}.RUNNING{color:#1a7f37}")
        .append(".FAILED{color:#c62828}</style></head><body>\n")
        .append("<h1>DStream SQL</h1>\n<p>Batch interval ").append(status.batchIntervalMillis())
        .append(" ms. Plots show the batches of the last ").append(EngineStatus.WINDOW_MILLIS / 60_000)
        .append(" minutes. Also: <a href=\"/api/queries\">/api/queries</a>, <a href=\"/metrics\">/metrics</a>.</p>\n");
    workers(out, status.workers());
    views(out, status.views());
    out.append("<h2>Queries (").append(status.queries().size()).append(")</h2>\n");
    if (status.queries().isEmpty()) {
      out.append("<p>No query is running.</p>\n");
    }
    for (EngineStatus.Query q : status.queries()) {
      query(out, q);
    }
    return out.append("</body></html>\n").toString();
  }

  private static void workers(StringBuilder out, List<EngineStatus.Worker> workers) {
    out.append("<h2>Workers (").append(workers.size()).append(")</h2>\n");
    if (workers.isEmpty()) {
      out.append("<p>No worker is connected.</p>\n");
      return;
    }
    out.append("<table><tr><th>Worker</th><th>State</th></tr>");
    for (EngineStatus.Worker w : workers) {
      out.append("<tr><td>").append(html(w.id())).append("</td><td>").append(html(w.state())).append("</td></tr>");
    }
    out.append("</table>\n");
  }

  private static void views(StringBuilder out, List<EngineStatus.View> views) {
    if (views.isEmpty()) {
      return;
    }
    out.append("<h2>Materialized views (").append(views.size()).append(")</h2>\n")
        .append("<table><tr><th>View</th><th>State</th><th>Query</th><th>Last batch</th><th>Rows</th>")
        .append("<th>Subscribers</th></tr>");
    for (EngineStatus.View v : views) {
      String css = v.state().startsWith("FAILED") ? "FAILED" : v.state();
      out.append("<tr><td>").append(html(v.name())).append("</td><td class=\"").append(html(css)).append("\">")
          .append(html(v.state())).append("</td><td><a href=\"#query-").append(html(v.query()))
          .append("\">").append(html(v.query())).append("</a></td><td>")
          .append(v.lastBatch() < 0 ? "-" : String.valueOf(v.lastBatch())).append("</td><td>").append(v.rows())
          .append("</td><td>").append(v.subscribers()).append("</td></tr>");
    }
    out.append("</table>\n");
  }

  private static void query(StringBuilder out, EngineStatus.Query q) {
    out.append("<div class=\"query\" id=\"query-").append(html(q.id())).append("\"><h3>").append(html(q.id()))
        .append(" <span class=\"").append(html(q.state())).append("\">").append(html(q.state())).append("</span></h3>")
        .append("<pre>").append(html(q.sql())).append("</pre>");
    if (q.failure() != null) {
      out.append("<p class=\"FAILED\">").append(html(q.failure())).append("</p>");
    }
    EngineStatus.Batch last = q.last();
    out.append("<table><tr><th>Batches</th><th>Input rows</th><th>Output rows</th><th>Late rows</th>")
        .append("<th>Skipped rows</th><th>State rows</th><th>Last processing</th><th>Last scheduling delay</th></tr>")
        .append("<tr><td>").append(q.batches()).append("</td><td>").append(q.inputRows()).append("</td><td>")
        .append(q.outputRows()).append("</td><td>").append(q.lateRows()).append("</td><td>").append(q.skippedRows())
        .append("</td><td>").append(q.stateRows()).append("</td><td>")
        .append(last == null ? "-" : last.processingMillis() + " ms").append("</td><td>")
        .append(last == null ? "-" : last.schedulingDelayMillis() + " ms").append("</td></tr></table>\n");
    out.append("<div class=\"plots\">");
    plot(out, "Input rate (rows/s)", q.recentBatches(), EngineStatus.Batch::inputRowsPerSecond);
    plot(out, "Processing time (ms)", q.recentBatches(), EngineStatus.Batch::processingMillis);
    plot(out, "Scheduling delay (ms)", q.recentBatches(), EngineStatus.Batch::schedulingDelayMillis);
    plot(out, "Late rows per batch", q.recentBatches(), EngineStatus.Batch::lateRows);
    out.append("</div></div>\n");
  }

  /** A sparkline of one value per batch, oldest on the left, scaled from 0 to the maximum. */
  static void plot(StringBuilder out, String title, List<EngineStatus.Batch> batches,
      ToDoubleFunction<EngineStatus.Batch> value) {
    double max = 0;
    double lastValue = 0;
    for (EngineStatus.Batch b : batches) {
      lastValue = value.applyAsDouble(b);
      max = Math.max(max, lastValue);
    }
    out.append("<figure class=\"plot\"><svg class=\"spark\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(PLOT_WIDTH).append("\" height=\"").append(PLOT_HEIGHT).append("\" viewBox=\"0 0 ")
        .append(PLOT_WIDTH).append(' ').append(PLOT_HEIGHT).append("\" role=\"img\" aria-label=\"")
        .append(html(title)).append("\"><title>").append(html(title)).append("</title>");
    if (!batches.isEmpty()) {
      out.append("<polyline fill=\"none\" stroke=\"#1565c0\" stroke-width=\"1.5\" points=\"");
      int n = batches.size();
      for (int i = 0; i < n; i++) {
        double x = n == 1 ? PLOT_WIDTH / 2.0 : 2 + i * (PLOT_WIDTH - 4.0) / (n - 1);
        double v = value.applyAsDouble(batches.get(i));
        double y = PLOT_HEIGHT - 3 - (max == 0 ? 0 : v / max * (PLOT_HEIGHT - 6));
        if (i > 0) {
          out.append(' ');
        }
        out.append(number(x)).append(',').append(number(y));
      }
      out.append("\"/>");
    }
    out.append("</svg><figcaption>").append(html(title)).append(": last ").append(number(lastValue))
        .append(", max ").append(number(max)).append(" (").append(batches.size()).append(" batches)")
        .append("</figcaption></figure>");
  }

  private static String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
  }

  static String html(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}

package io.dstream.jdbcserver.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.time.ManualClock;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import io.dstream.jdbcserver.engine.StatementResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The web server over a real engine on a manual clock, fetched with the JDK's HTTP client. */
@Timeout(60)
class WebServerTest {
  private ManualClock clock;
  private Engine engine;
  private WebServer web;
  private StatementResult.PushStream push;
  private QueryExecution query;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    clock = new ManualClock(0);
    engine = new Engine(new EngineConfig(2, 1, 1000, clock));
    engine.execute("CREATE STREAM clicks (id BIGINT, name VARCHAR) WITH (connector = 'memory')");
    push = (StatementResult.PushStream) engine.execute("SELECT STREAM id, name FROM clicks WHERE id > 1");
    query = List.copyOf(engine.driver().queries()).get(0);
    web = WebServer.start(engine, "127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    if (web != null) {
      web.close();
    }
    if (push != null) {
      push.close();
    }
    for (QueryExecution q : engine.driver().queries()) {
      engine.driver().stop(q.id());
    }
    assertThat(engine.driver().allocatedBytes()).isZero();
    engine.close();
  }

  /** Inserts rows and runs one batch over them. */
  private void batch(String values) throws InterruptedException {
    if (values != null) {
      engine.execute("INSERT INTO clicks VALUES " + values);
    }
    long completed = query.completedBatches();
    clock.advance(1000);
    assertThat(query.awaitBatches(completed + 1, 30_000)).isTrue();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(web.url()).resolve(path)).GET().build());
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsCountTheQuerysBatchesAndRows() throws Exception {
    batch("(1, 'a'), (2, 'b'), (3, 'c')");
    batch("(4, 'd')");
    batch(null);
    HttpResponse<String> response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
    String id = query.id();
    assertThat(response.body()).contains(
        "# TYPE dstream_query_input_rows_total counter",
        "dstream_query_input_rows_total{query=\"" + id + "\"} 4\n",
        "dstream_query_output_rows_total{query=\"" + id + "\"} 3\n",
        "dstream_query_late_rows_total{query=\"" + id + "\"} 0\n",
        "dstream_query_batches_total{query=\"" + id + "\"} 3\n",
        "dstream_query_last_batch_processing_ms{query=\"" + id + "\"} ",
        "dstream_query_last_scheduling_delay_ms{query=\"" + id + "\"} ",
        "dstream_query_state_rows{query=\"" + id + "\"} 0\n",
        "dstream_query_info{query=\"" + id + "\",state=\"RUNNING\"} 1\n",
        "dstream_workers 2\n");
  }

  @Test
  void apiListsQueriesWithTheirRecentBatches() throws Exception {
    batch("(1, 'a'), (2, 'b')");
    batch("(3, 'c')");
    HttpResponse<String> response = get("/api/queries");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode json = new ObjectMapper().readTree(response.body());
    assertThat(json.get("workers")).hasSize(2);
    assertThat(json.get("workers").get(0).get("state").asText()).isEqualTo("LIVE");
    JsonNode q = json.get("queries").get(0);
    assertThat(q.get("id").asText()).isEqualTo(query.id());
    assertThat(q.get("state").asText()).isEqualTo("RUNNING");
    assertThat(q.get("sql").asText()).contains("FROM clicks");
    assertThat(q.get("batches").asLong()).isEqualTo(2);
    assertThat(q.get("inputRows").asLong()).isEqualTo(3);
    assertThat(q.get("outputRows").asLong()).isEqualTo(2);
    assertThat(q.get("lateRows").asLong()).isZero();
    JsonNode batches = q.get("recentBatches");
    assertThat(batches).hasSize(2);
    assertThat(batches.get(0).get("inputRows").asLong()).isEqualTo(2);
    assertThat(batches.get(0).get("inputRowsPerSecond").asDouble()).isEqualTo(2.0);
    assertThat(batches.get(1).get("inputRows").asLong()).isEqualTo(1);
    assertThat(batches.get(1).has("processingMillis")).isTrue();
    assertThat(batches.get(1).has("schedulingDelayMillis")).isTrue();
  }

  @Test
  void pageShowsTheQueryWithPlotsAndEscapesItsSql() throws Exception {
    batch("(1, 'a'), (2, 'b')");
    batch("(3, 'c')");
    HttpResponse<String> response = get("/");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    String html = response.body();
    assertThat(html).contains("<h3>" + query.id() + " ", "RUNNING", "SELECT STREAM id, name FROM clicks WHERE id &gt; 1",
        "<svg class=\"spark\"", "<polyline", "Input rate (rows/s)", "Processing time (ms)",
        "Scheduling delay (ms)", "Workers (2)");
    assertThat(html).doesNotContain("<script", "http://cdn", "https://");
  }

  @Test
  void viewsAreListedWithTheirRowsAndSubscribers() throws Exception {
    engine.execute("CREATE MATERIALIZED VIEW per_name AS SELECT STREAM name, COUNT(*) AS n FROM clicks GROUP BY name");
    QueryExecution view = engine.driver().queries().stream().filter(q -> q != query).findFirst().orElseThrow();
    StatementResult.PushStream subscription = (StatementResult.PushStream) engine.execute(
        "SELECT STREAM * FROM per_name");
    try (subscription) {
      engine.execute("INSERT INTO clicks VALUES (1, 'a'), (2, 'b'), (3, 'a')");
      long completed = view.completedBatches();
      clock.advance(1000);
      assertThat(view.awaitBatches(completed + 1, 30_000)).isTrue();
      assertThat(query.awaitBatches(completed + 1, 30_000)).isTrue();
      String metrics = get("/metrics").body();
      assertThat(metrics).contains("dstream_view_rows{view=\"per_name\"} 2\n",
          "dstream_view_last_batch{view=\"per_name\"} " + completed + "\n",
          "dstream_view_subscribers{view=\"per_name\"} 1\n", "dstream_view_failed{view=\"per_name\"} 0\n");
      assertThat(get("/api/queries").body()).contains("\"views\":[{\"name\":\"per_name\",\"query\":\""
          + view.id() + "\",\"lastBatch\":" + completed);
      assertThat(get("/").body()).contains("<h2>Materialized views (1)</h2>", "<td>per_name</td>",
          "<td class=\"RUNNING\">RUNNING</td>");
      assertThat(get("/api/queries").body()).contains("\"subscribers\":1,\"state\":\"RUNNING\"");
    }
    assertThat(get("/metrics").body()).contains("dstream_view_subscribers{view=\"per_name\"} 0\n");
    engine.execute("DROP MATERIALIZED VIEW per_name");
  }

  @Test
  void aBusyPortIsAClearErrorNotALeak() {
    int busy = Integer.parseInt(web.url().replaceAll(".*:(\\d+)/?$", "$1"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WebServer.start(engine, "127.0.0.1", busy))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot serve the web page on 127.0.0.1:" + busy);
  }

  @Test
  void unknownPathsAre404AndOtherMethods405() throws Exception {
    assertThat(get("/nope").statusCode()).isEqualTo(404);
    assertThat(get("/api/queries/x").statusCode()).isEqualTo(404);
    HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(web.url()).resolve("/metrics"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("allow")).hasValue("GET");
    HttpResponse<String> delete = send(HttpRequest.newBuilder(URI.create(web.url())).DELETE().build());
    assertThat(delete.statusCode()).isEqualTo(405);
  }

  @Test
  void labelsAndHtmlAreEscaped() {
    assertThat(Metrics.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
    assertThat(StatusPage.html("<a href='x'>&\"")).isEqualTo("&lt;a href=&#39;x&#39;&gt;&amp;&quot;");
  }
}

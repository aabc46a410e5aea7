package io.dstream.sqltests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.source.SocketReceiver;
import io.dstream.executor.time.ManualClock;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import io.dstream.jdbcserver.engine.StatementResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The 'socket' connector end to end: csv lines written to the stream's TCP port are read by a
 * push query, batch by batch, on a manual clock. The test waits for the receiver's log to hold
 * the rows before it moves the clock, so no sleep is needed.
 */
@Timeout(60)
class SocketSourceTest {
  private static final long INTERVAL = 1000;

  private ManualClock clock;
  private Engine engine;
  private long batches;

  @BeforeEach
  void start() {
    clock = new ManualClock(0);
    engine = new Engine(new EngineConfig(2, 1, INTERVAL, clock));
  }

  @AfterEach
  void stop() {
    for (QueryExecution q : engine.driver().queries()) {
      engine.driver().stop(q.id());
    }
    assertThat(engine.driver().allocatedBytes()).as("Arrow memory still allocated (leak)").isZero();
    engine.close();
  }

  private SocketReceiver create(String onError) {
    engine.execute("CREATE STREAM s (k BIGINT, name VARCHAR, t TIMESTAMP(3)) WITH (connector = 'socket',"
        + " port = '0', 'on.error' = '" + onError + "')");
    return engine.socketReceiver("s");
  }

  /** Moves the clock one interval and waits until every running query completed that batch. */
  private void batch() throws InterruptedException {
    clock.advance(INTERVAL);
    batches++;
    for (QueryExecution q : engine.driver().queries()) {
      assertThat(q.awaitBatches(batches, 30_000)).as("query %s completed batch %d", q.id(), batches).isTrue();
    }
  }

  private static List<String> drain(StatementResult.PushStream push) throws InterruptedException {
    List<String> rows = new ArrayList<>();
    while (true) {
      StatementResult.Polled polled = push.poll(10_000, 0);
      for (Object[] row : polled.rows()) {
        rows.add(GoldenScript.format(push.columns(), row));
      }
      if (polled.rows().isEmpty() || polled.done()) {
        return rows;
      }
    }
  }

  private static void write(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Test
  void linesSentOverTcpAreReadBatchByBatch() throws Exception {
    SocketReceiver receiver = create("skip");
    StatementResult.PushStream push = (StatementResult.PushStream) engine.execute(
        "SELECT STREAM k, name, t FROM s WHERE k > 0");
    try (Socket first = new Socket("127.0.0.1", receiver.port());
        Socket second = new Socket("127.0.0.1", receiver.port())) {
      write(first, "1,a,2026-01-01 00:00:01\n2,b,2026-01-01 00:00:02\n");
      write(second, "3,c,2026-01-01 00:00:03\n");
      assertThat(receiver.log().awaitEnd(3, 10_000)).isTrue();
      batch();
      assertThat(drain(push)).containsExactlyInAnyOrder(
          "1,a,2026-01-01 00:00:01.000", "2,b,2026-01-01 00:00:02.000", "3,c,2026-01-01 00:00:03.000");

      // A record split over two writes is read once complete; a bad one is skipped and counted.
      write(first, "-4,d,2026-01-01 00:00:04\n5,e,2026-01");
      write(first, "-01 00:00:05\nnot a number,f,2026-01-01 00:00:06\n");
      write(first, "7,g,2026-01-01 00:00:07\n");
      assertThat(receiver.log().awaitEnd(6, 10_000)).isTrue();
      assertThat(receiver.skippedLines()).isEqualTo(1);
      batch();
      assertThat(drain(push)).containsExactlyInAnyOrder(
          "5,e,2026-01-01 00:00:05.000", "7,g,2026-01-01 00:00:07.000");

      batch();
      assertThat(drain(push)).isEmpty();

      // The last record of a connection needs no line break.
      write(second, "8,h,2026-01-01 00:00:08");
      second.shutdownOutput();
      assertThat(receiver.log().awaitEnd(7, 10_000)).isTrue();
      batch();
      assertThat(drain(push)).containsExactly("8,h,2026-01-01 00:00:08.000");
    } finally {
      push.close();
    }
  }

  @Test
  void badLineClosesTheConnectionWithAMessageWhenOnErrorIsFail() throws Exception {
    SocketReceiver receiver = create("fail");
    StatementResult.PushStream push = (StatementResult.PushStream) engine.execute("SELECT STREAM k, name FROM s");
    try (Socket socket = new Socket("127.0.0.1", receiver.port())) {
      write(socket, "1,a,2026-01-01 00:00:01\nx,b,2026-01-01 00:00:02\n3,c,2026-01-01 00:00:03\n");
      BufferedReader reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      assertThat(reply.readLine()).startsWith("ERROR line 2: ");
      assertThat(reply.readLine()).as("connection closed after the message").isNull();
      assertThat(receiver.log().end()).isEqualTo(1);
      batch();
      assertThat(drain(push)).containsExactly("1,a");
    } finally {
      push.close();
    }
    // Other connections are still accepted.
    try (Socket socket = new Socket("127.0.0.1", receiver.port())) {
      write(socket, "4,d,2026-01-01 00:00:04\n");
      assertThat(receiver.log().awaitEnd(2, 10_000)).isTrue();
    }
  }

  @Test
  void dropStreamStopsTheReceiver() throws Exception {
    int port = create("fail").port();
    engine.execute("DROP STREAM s");
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    // The port is free again for a new stream.
    engine.execute("CREATE STREAM s2 (k BIGINT) WITH (connector = 'socket', port = '" + port + "')");
    assertThat(engine.socketReceiver("s2").port()).isEqualTo(port);
  }

  @Test
  void engineCloseStopsTheReceivers() throws Exception {
    int port = create("fail").port();
    engine.close();
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
  }

  @Test
  void portInUseOrMissingFailsCreateStream() {
    int port = create("fail").port();
    assertThatThrownBy(() -> engine.execute(
        "CREATE STREAM other (k BIGINT) WITH (connector = 'socket', port = '" + port + "')"))
        .isInstanceOf(EngineException.class).hasMessageContaining("cannot listen on 127.0.0.1:" + port);
    assertThat(engine.catalog()).extracting(e -> e.name().toLowerCase()).doesNotContain("other");
    assertThatThrownBy(() -> engine.execute("CREATE STREAM other (k BIGINT) WITH (connector = 'socket')"))
        .isInstanceOf(EngineException.class).hasMessageContaining("needs option 'port'");
    assertThatThrownBy(() -> engine.execute(
        "CREATE STREAM other (k BIGINT) WITH (connector = 'socket', port = '1', nope = 'x')"))
        .isInstanceOf(EngineException.class).hasMessageContaining("Unknown option 'nope'");
  }
}

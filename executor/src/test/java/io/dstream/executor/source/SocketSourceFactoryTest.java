package io.dstream.executor.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.time.ManualClock;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SocketSourceFactoryTest {
  private static final RowType ROWS = RowType.of(new Column("k", DataType.of(DataType.Kind.BIGINT)),
      new Column("name", DataType.of(DataType.Kind.VARCHAR)));

  private final SocketSourceFactory factory = new SocketSourceFactory();

  @AfterEach
  void close() {
    factory.close();
  }

  @Test
  void sourceReadsRowsReceivedAfterItWasCreated() throws Exception {
    factory.start("s", ROWS, Map.of("port", "0"));
    SocketReceiver receiver = factory.receiver("S").orElseThrow();
    try (Socket socket = new Socket("127.0.0.1", receiver.port())) {
      OutputStream out = socket.getOutputStream();
      out.write("1,a\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      assertThat(receiver.log().awaitEnd(1, 10_000)).isTrue();
      Source source = factory.create("s", ROWS, Map.of("port", "0"), new ManualClock(0));
      out.write("2,b\n3,\"c,d\"\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      assertThat(receiver.log().awaitEnd(3, 10_000)).isTrue();
      SourceBatch batch = source.planBatch(1, 1000, 4);
      assertThat(batch.splits()).containsExactly(new SourceSplit("s", 1, 3));
      assertThat(receiver.log().read(1, 3)).containsExactly(new Object[] {2L, "b"}, new Object[] {3L, "c,d"});
    }
  }

  @Test
  void rejectsBadOptionsAndColumnsCsvCannotHold() {
    assertThatThrownBy(() -> factory.validate("s", ROWS, Map.of("port", "70000")))
        .isInstanceOf(EngineException.class).hasMessageContaining("between 0 and 65535");
    assertThatThrownBy(() -> factory.validate("s", ROWS, Map.of("port", "1", "on.error", "ignore")))
        .isInstanceOf(EngineException.class).hasMessageContaining("one of fail, skip");
    RowType interval = new RowType(List.of(new Column("i", DataType.of(DataType.Kind.INTERVAL_DAY_TIME))));
    assertThatThrownBy(() -> factory.validate("s", interval, Map.of("port", "1")))
        .isInstanceOf(EngineException.class).hasMessageContaining("which csv text cannot hold");
  }

  @Test
  void createWithoutAReceiverFails() {
    assertThatThrownBy(() -> factory.create("s", ROWS, Map.of("port", "0"), new ManualClock(0)))
        .isInstanceOf(EngineException.class).hasMessageContaining("has no receiver in this process");
  }
}

package io.dstream.jdbcserver.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.jdbcserver.engine.EngineConfig;
import io.dstream.jdbcserver.meta.StreamMeta;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerLoadOptionsTest {
  @Test
  void defaults() throws UsageException {
    ServerCommand.Options options = ServerCommand.parse(List.of());
    assertThat(options.config().pushBufferRows()).isEqualTo(EngineConfig.DEFAULT_PUSH_BUFFER_ROWS).isEqualTo(100_000);
    assertThat(options.idleTimeoutMillis()).isEqualTo(StreamMeta.DEFAULT_IDLE_TIMEOUT_MILLIS).isEqualTo(300_000);
  }

  @Test
  void pushBufferRowsAndIdleTimeout() throws UsageException {
    ServerCommand.Options options =
        ServerCommand.parse(List.of("--push-buffer-rows", "5000", "--idle-timeout", "2m"));
    assertThat(options.config().pushBufferRows()).isEqualTo(5000);
    assertThat(options.idleTimeoutMillis()).isEqualTo(120_000);
    assertThatThrownBy(() -> ServerCommand.parse(List.of("--push-buffer-rows", "0")))
        .isInstanceOf(UsageException.class).hasMessageContaining("--push-buffer-rows");
    assertThatThrownBy(() -> ServerCommand.parse(List.of("--idle-timeout", "10ms")))
        .isInstanceOf(UsageException.class).hasMessageContaining("--idle-timeout");
    assertThat(ServerCommand.USAGE).contains("--push-buffer-rows <n>", "--idle-timeout <time>");
  }
}

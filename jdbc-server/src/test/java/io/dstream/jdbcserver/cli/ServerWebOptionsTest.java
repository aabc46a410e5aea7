package io.dstream.jdbcserver.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServerWebOptionsTest {
  @Test
  void theWebPageIsOffByDefault() throws UsageException {
    assertThat(ServerCommand.parse(List.of()).webPort()).isEqualTo(ServerCommand.Options.NO_WEB);
  }

  @Test
  void webPortOption() throws UsageException {
    assertThat(ServerCommand.parse(List.of("--web-port", "8080")).webPort()).isEqualTo(8080);
    assertThat(ServerCommand.parse(List.of("--web-port=0")).webPort()).isZero();
    assertThatThrownBy(() -> ServerCommand.parse(List.of("--web-port", "x")))
        .isInstanceOf(UsageException.class).hasMessageContaining("--web-port");
  }

  @Test
  void helpListsTheWebPort() {
    assertThat(ServerCommand.USAGE).contains("--web-port <port>", "/metrics", "/api/queries");
    assertThat(DemoCommand.USAGE).contains("--web-port", "8080");
  }
}

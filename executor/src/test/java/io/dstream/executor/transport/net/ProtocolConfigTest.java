package io.dstream.executor.transport.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProtocolConfigTest {
  @Test
  void defaults() {
    ProtocolConfig config = ProtocolConfig.defaults();

    assertThat(config.maxFrameBytes()).isEqualTo(256 * 1024 * 1024);
    assertThat(config.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofMillis(200));
    assertThat(config.peerTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.ioThreads()).isZero();
  }

  @Test
  void withersChangeOneSetting() {
    ProtocolConfig config = ProtocolConfig.defaults()
        .withMaxFrameBytes(1 << 20)
        .withHandshakeTimeout(Duration.ofMillis(500))
        .withRequestTimeout(Duration.ofSeconds(2))
        .withHeartbeat(Duration.ofMillis(100), Duration.ofMillis(500))
        .withIoThreads(3);

    assertThat(config).isEqualTo(new ProtocolConfig(
        1 << 20, Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMillis(500), 3));
  }

  @Test
  void heartbeatsCanBeDisabled() {
    assertThat(ProtocolConfig.defaults().withHeartbeat(Duration.ZERO, Duration.ZERO).peerTimeout()).isZero();
  }

  @Test
  void invalidSettingsAreRejected() {
    ProtocolConfig defaults = ProtocolConfig.defaults();
    assertThatThrownBy(() -> defaults.withMaxFrameBytes(1000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.withHandshakeTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.withRequestTimeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.withHeartbeat(Duration.ofSeconds(1), Duration.ofMillis(500)))
        .hasMessageContaining("must be longer than heartbeatInterval");
    assertThatThrownBy(() -> defaults.withIoThreads(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}

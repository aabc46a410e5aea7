package io.dstream.executor.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import org.junit.jupiter.api.Test;

class SourceRegistryTest {
  @Test
  void looksUpConnectorsIgnoringCaseAndListsThemWhenUnknown() {
    MemorySourceFactory memory = new MemorySourceFactory();
    SourceRegistry registry = SourceRegistry.defaults(memory);
    assertThat(registry.factory("MEMORY")).isSameAs(memory);
    assertThat(registry.factory("csv")).isInstanceOf(CsvSourceFactory.class);
    assertThat(registry.factory("nexmark")).isInstanceOf(NexmarkSourceFactory.class);
    assertThat(registry.factory("Socket")).isInstanceOf(SocketSourceFactory.class);
    assertThat(registry.connectors()).containsExactly("csv", "memory", "nexmark", "socket");
    assertThatThrownBy(() -> registry.factory("kafka"))
        .isInstanceOf(EngineException.class)
        .hasMessage("Unknown connector 'kafka'; available: csv, memory, nexmark, socket")
        .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
  }
}

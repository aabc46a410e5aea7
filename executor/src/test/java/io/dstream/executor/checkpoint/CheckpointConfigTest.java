package io.dstream.executor.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CheckpointConfigTest {
  private static final Path DIR = Path.of("checkpoints");

  @Test
  void defaultIntervalIsAboutTenSecondsOfBatches() {
    assertThat(CheckpointConfig.withDefaultInterval(DIR, 1000).everyBatches()).isEqualTo(10);
    assertThat(CheckpointConfig.withDefaultInterval(DIR, 3000).everyBatches()).isEqualTo(4);
    assertThat(CheckpointConfig.withDefaultInterval(DIR, 250).everyBatches()).isEqualTo(40);
    assertThat(CheckpointConfig.withDefaultInterval(DIR, 60_000).everyBatches()).isEqualTo(1);
  }

  @Test
  void rejectsNonPositiveIntervals() {
    assertThatThrownBy(() -> new CheckpointConfig(DIR, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1 batch");
    assertThatThrownBy(() -> CheckpointConfig.withDefaultInterval(DIR, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CheckpointConfig(null, 1)).isInstanceOf(NullPointerException.class);
  }
}

package io.dstream.jdbcserver.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.checkpoint.CheckpointConfig;
import io.dstream.jdbcserver.engine.EngineConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerCheckpointOptionsTest {
  @Test
  void noCheckpointsByDefault() throws UsageException {
    assertThat(ServerCommand.parse(List.of()).config().checkpoint()).isNull();
    assertThat(EngineConfig.defaults().checkpoint()).isNull();
  }

  @Test
  void checkpointDirectoryWithTheDefaultIntervalOfAboutTenSeconds() throws UsageException {
    CheckpointConfig c = ServerCommand.parse(List.of("--checkpoint-dir", "ckpt", "--batch-interval", "500ms"))
        .config().checkpoint();
    assertThat(c.directory()).isEqualTo(Path.of("ckpt").toAbsolutePath());
    assertThat(c.everyBatches()).isEqualTo(20);
    assertThat(ServerCommand.parse(List.of("--checkpoint-dir=ckpt")).config().checkpoint().everyBatches())
        .isEqualTo(10);
  }

  @Test
  void checkpointIntervalInBatches() throws UsageException {
    CheckpointConfig c = ServerCommand.parse(List.of("--checkpoint-interval", "3", "--checkpoint-dir", "/tmp/c"))
        .config().checkpoint();
    assertThat(c).isEqualTo(new CheckpointConfig(Path.of("/tmp/c").toAbsolutePath(), 3));
  }

  @Test
  void checkpointIntervalNeedsADirectoryAndAPositiveCount() {
    assertThatThrownBy(() -> ServerCommand.parse(List.of("--checkpoint-interval", "3")))
        .isInstanceOf(UsageException.class).hasMessageContaining("--checkpoint-interval needs --checkpoint-dir");
    assertThatThrownBy(() -> ServerCommand.parse(List.of("--checkpoint-dir", "c", "--checkpoint-interval", "0")))
        .isInstanceOf(UsageException.class);
    assertThatThrownBy(() -> ServerCommand.parse(List.of("--checkpoint-dir")))
        .isInstanceOf(UsageException.class);
  }

  @Test
  void engineConfigKeepsTheCheckpointAcrossOtherChanges() {
    CheckpointConfig c = new CheckpointConfig(Path.of("/tmp/c"), 4);
    EngineConfig config = EngineConfig.defaults().withCheckpoint(c).withWorkers(3).withBatchIntervalMillis(200);
    assertThat(config.checkpoint()).isEqualTo(c);
    assertThat(config.withCheckpoint(null).checkpoint()).isNull();
  }

  @Test
  void helpListsTheCheckpointOptions() {
    assertThat(ServerCommand.USAGE).contains("--checkpoint-dir", "--checkpoint-interval");
  }
}

package io.dstream.executor.cluster;

import static io.dstream.executor.kernel.TestBatches.BIGINT;
import static io.dstream.executor.kernel.TestBatches.VARCHAR;
import static io.dstream.executor.kernel.TestBatches.rowType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.block.BlockId;
import io.dstream.executor.block.BlockLocation;
import io.dstream.executor.codec.CodecException;
import io.dstream.executor.type.RowType;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ClusterMessagesTest {
  private static final RowType STATE = rowType("key", BIGINT, "name", VARCHAR);
  private static final BlockLocation STATE_BLOCK =
      new BlockLocation("w2", new BlockId("q1", 5, BlockId.Kind.STATE, 3, 0));

  @Test
  void checkpointAndRestoreRequestsRoundTrip() {
    Path file = Path.of("/tmp/checkpoints/q1/batch-5/part-3.arrow");
    for (byte op : new byte[] {ClusterMessages.CHECKPOINT, ClusterMessages.RESTORE}) {
      byte[] message = ClusterMessages.blockFile(op, STATE_BLOCK, STATE, file);
      assertThat(ClusterMessages.op(message)).isEqualTo(op);
      ClusterMessages.BlockFile decoded = ClusterMessages.blockFile(ClusterMessages.body(message));
      assertThat(decoded).isEqualTo(new ClusterMessages.BlockFile(STATE_BLOCK, STATE, file));
    }
  }

  @Test
  void malformedBlockFileRequestsAreRejected() {
    byte[] body = ClusterMessages.body(ClusterMessages.blockFile(ClusterMessages.CHECKPOINT, STATE_BLOCK, STATE,
        Path.of("/tmp/c/part-0.arrow")));
    assertThatThrownBy(() -> ClusterMessages.blockFile(Arrays.copyOf(body, body.length - 3)))
        .isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> ClusterMessages.blockFile(Arrays.copyOf(body, body.length + 1)))
        .isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> ClusterMessages.blockFile(new byte[] {0, 0, 0, 9}))
        .isInstanceOf(CodecException.class);
  }
}

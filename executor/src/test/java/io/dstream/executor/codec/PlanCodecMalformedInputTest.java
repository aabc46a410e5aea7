package io.dstream.executor.codec;

import static io.dstream.executor.codec.Plans.BIGINT;
import static io.dstream.executor.codec.Plans.literal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.dstream.executor.block.BlockId;
import io.dstream.executor.block.BlockLocation;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.scheduler.QueryDag;
import io.dstream.executor.scheduler.Task;
import io.dstream.executor.scheduler.TaskResult;
import io.dstream.executor.source.SourceSplit;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlanCodecMalformedInputTest {
  /** Each decoder, with a valid message for it. */
  private static final Map<String, Case> CASES = Map.of(
      "DataType", new Case(PlanCodec::decodeDataType, PlanCodec.encode(Plans.PRICE)),
      "RowType", new Case(PlanCodec::decodeRowType, PlanCodec.encode(Plans.BIDS)),
      "Expr", new Case(PlanCodec::decodeExpr, PlanCodec.encode(Plans.everyOperator())),
      "Plan", new Case(PlanCodec::decodePlan, PlanCodec.encode(Plans.windowedPlan())),
      "QueryDag", new Case(PlanCodec::decodeQueryDag, PlanCodec.encode(QueryDag.of("q", Plans.windowedPlan(), 4))),
      "SourceSplit", new Case(PlanCodec::decodeSourceSplit, PlanCodec.encode(new SourceSplit("f", 1, 2))),
      "BlockId", new Case(PlanCodec::decodeBlockId, PlanCodec.encode(block())),
      "BlockLocation", new Case(PlanCodec::decodeBlockLocation, PlanCodec.encode(new BlockLocation("w", block()))),
      "Task", new Case(PlanCodec::decodeTask, PlanCodec.encode(new Task.ReduceTask("q", 1, 2,
          List.of(new BlockLocation("w", block())), new BlockLocation("w", block()), 5, 4))),
      "TaskResult", new Case(PlanCodec::decodeTaskResult, PlanCodec.encode(new TaskResult(
          List.of(new BlockLocation("w", block())), List.of(7L), new BlockLocation("w", block()), 1, 2, 3, 4, 5))));

  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  @Test
  void everyTruncationOfAValidMessageIsRejected() {
    byte[] small = PlanCodec.encode(new PlanNode.Filter(new PlanNode.Scan("s", Plans.rowType("a", BIGINT), 0, 0),
        Plans.call(io.dstream.executor.plan.Operator.IS_NULL, Plans.BOOLEAN, Plans.ref(0, BIGINT))));
    for (int length = 0; length < small.length; length++) {
      byte[] prefix = Arrays.copyOf(small, length);
      assertThatThrownBy(() -> PlanCodec.decodePlan(prefix)).as("prefix of %d bytes", length)
          .isInstanceOf(CodecException.class);
    }
    CASES.forEach((name, c) -> {
      for (int length = 0; length < c.valid.length; length++) {
        byte[] prefix = Arrays.copyOf(c.valid, length);
        assertThatThrownBy(() -> c.decoder.apply(prefix)).as("%s prefix of %d bytes", name, length)
            .isInstanceOf(CodecException.class);
      }
    });
  }

  @Test
  void truncationSaysWhere() {
    byte[] bytes = PlanCodec.encode(new SourceSplit("file", 0, 10));
    assertThatThrownBy(() -> PlanCodec.decodeSourceSplit(Arrays.copyOf(bytes, bytes.length - 3)))
        .isInstanceOf(CodecException.class)
        .hasMessage("truncated input: needed 8 bytes at offset " + (bytes.length - 8) + ", 5 left");
  }

  @Test
  void trailingBytesAreRejected() {
    CASES.forEach((name, c) -> {
      byte[] longer = Arrays.copyOf(c.valid, c.valid.length + 1);
      assertThatThrownBy(() -> c.decoder.apply(longer)).as(name)
          .isInstanceOf(CodecException.class).hasMessageContaining("1 trailing bytes");
    });
  }

  @Test
  void validMessagesDecode() {
    CASES.forEach((name, c) -> assertThat(c.decoder.apply(c.valid)).as(name).isNotNull());
  }

  @Test
  void randomBytesAreRejected() {
    Random random = new Random(1);
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = new byte[random.nextInt(64)];
      random.nextBytes(bytes);
      CASES.forEach((name, c) -> assertThatThrownBy(() -> c.decoder.apply(bytes)).as(name)
          .isInstanceOf(CodecException.class));
    }
  }

  @Test
  void randomBodiesBehindAValidHeaderFailOnlyWithCodecException() {
    Random random = new Random(2);
    CASES.forEach((name, c) -> {
      for (int i = 0; i < 20_000; i++) {
        byte[] bytes = new byte[5 + random.nextInt(80)];
        random.nextBytes(bytes);
        System.arraycopy(c.valid, 0, bytes, 0, 5);
        decodeOrReject(name, c, bytes);
      }
    });
  }

  @Test
  void corruptedMessagesFailOnlyWithCodecException() {
    Random random = new Random(3);
    CASES.forEach((name, c) -> {
      for (int i = 0; i < 20_000; i++) {
        byte[] bytes = c.valid.clone();
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
          int at = 4 + random.nextInt(bytes.length - 4);
          bytes[at] = random.nextInt(4) == 0 ? (byte) random.nextInt() : (byte) (bytes[at] ^ (1 << random.nextInt(8)));
        }
        decodeOrReject(name, c, bytes);
      }
    });
  }

  @Test
  void unknownVersionIsRejected() {
    byte[] bytes = PlanCodec.encode(Plans.windowedPlan());
    bytes[3] = 99;
    assertThatThrownBy(() -> PlanCodec.decodePlan(bytes)).isInstanceOf(CodecException.class)
        .hasMessage("unsupported plan format version 99 (this build reads version " + PlanCodec.FORMAT_VERSION + ")");
  }

  @Test
  void messageOfAnotherKindIsRejected() {
    byte[] bytes = PlanCodec.encode(new Task.MapTask("q", 1, 0, null, 0));
    assertThatThrownBy(() -> PlanCodec.decodeTaskResult(bytes)).isInstanceOf(CodecException.class)
        .hasMessage("expected a TASK_RESULT message, got a TASK message");
  }

  @Test
  void literalValueOfTheWrongClassIsRejected() {
    byte[] bytes = PlanCodec.encode(literal(5L, BIGINT));
    assertThat(bytes[6]).isEqualTo((byte) 5);
    bytes[6] = 9;
    assertThatThrownBy(() -> PlanCodec.decodeExpr(bytes)).isInstanceOf(CodecException.class)
        .hasMessageContaining("literal of type VARCHAR(19) holds a Long value at offset 16");
  }

  @Test
  void unknownCodesAreRejected() {
    byte[] bytes = PlanCodec.encode(BIGINT);
    bytes[5] = (byte) 200;
    assertThatThrownBy(() -> PlanCodec.decodeDataType(bytes)).isInstanceOf(CodecException.class)
        .hasMessage("unknown Kind code 200 at offset 5");
  }

  @Test
  void invalidWindowIsRejectedWithTheRecordsComplaint() {
    PlanNode.Scan scan = new PlanNode.Scan("s", Plans.rowType("t", Plans.TIMESTAMP), 0, 0);
    long size = 123_456_789_012L;
    byte[] bytes = PlanCodec.encode(new PlanNode.WindowAssign(scan, 0, size, size, 0, false,
        Plans.rowType("t", Plans.TIMESTAMP, "window_start", Plans.TIMESTAMP, "window_end", Plans.TIMESTAMP)));
    int at = indexOf(bytes, ByteBuffer.allocate(8).putLong(size).array());
    Arrays.fill(bytes, at, at + 8, (byte) 0);
    assertThatThrownBy(() -> PlanCodec.decodePlan(bytes)).isInstanceOf(CodecException.class)
        .hasMessageContaining("invalid WindowAssign").hasMessageContaining("must be positive");
  }

  @Test
  void forwardOrDanglingNodeReferencesAreRejected() {
    byte[] bytes = PlanCodec.encode(Plans.windowedPlan());
    bytes[bytes.length - 1] = 99;
    assertThatThrownBy(() -> PlanCodec.decodePlan(bytes)).isInstanceOf(CodecException.class)
        .hasMessageContaining("plan root refers to node 99");
  }

  @Test
  void hugeCountsAreRejectedWithoutAllocating() {
    byte[] bytes = PlanCodec.encode(Plans.BIDS);
    bytes[5] = 0x7f;
    assertThatThrownBy(() -> PlanCodec.decodeRowType(bytes)).isInstanceOf(CodecException.class)
        .hasMessageContaining("invalid count");
  }

  @Test
  void deeplyNestedInputIsRejectedWithoutOverflowingTheStack() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0, 0, 0, (byte) PlanCodec.FORMAT_VERSION, 3});
    for (int i = 0; i < 100_000; i++) {
      out.writeBytes(new byte[] {3, 15, 0, 0, 0, 1});
    }
    byte[] bytes = out.toByteArray();
    assertThatThrownBy(() -> PlanCodec.decodeExpr(bytes)).isInstanceOf(CodecException.class)
        .hasMessageContaining("nested deeper than 1000");
  }

  @Test
  void invalidUtf8IsRejected() {
    byte[] bytes = PlanCodec.encode(new SourceSplit("ab", 0, 0));
    bytes[9] = (byte) 0xC3;
    bytes[10] = (byte) 0x28;
    assertThatThrownBy(() -> PlanCodec.decodeSourceSplit(bytes)).isInstanceOf(CodecException.class)
        .hasMessage("invalid UTF-8 in string at offset 5");
  }

  @Test
  void nullInputIsRejected() {
    assertThatThrownBy(() -> PlanCodec.decodeTask(null)).isInstanceOf(CodecException.class);
  }

  private static void decodeOrReject(String name, Case c, byte[] bytes) {
    try {
      c.decoder.apply(bytes);
    } catch (CodecException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    } catch (RuntimeException | StackOverflowError e) {
      fail(name + " decoder leaked " + e + " for " + Arrays.toString(bytes), e);
    }
  }

  private static BlockId block() {
    return new BlockId("q", 3, BlockId.Kind.SHUFFLE, 1, 2);
  }

  private static int indexOf(byte[] bytes, byte[] part) {
    for (int i = 0; i + part.length <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }

  private record Case(Function<byte[], ?> decoder, byte[] valid) {}
}

package io.dstream.executor.transport.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
  private static final int MAX = 1024;
  private final EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX), new FrameEncoder(MAX));

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  @Test
  void encodedFrameDecodesToTheSameFrame() {
    Frame frame = new Frame(MessageType.REQUEST, 1L << 40, "payload".getBytes(StandardCharsets.UTF_8));

    ByteBuf wire = encode(frame);

    assertThat(wire.getInt(0)).isEqualTo(Frame.HEADER_BYTES + 7);
    assertThat(wire.getUnsignedByte(4)).isEqualTo((short) Frame.MAGIC);
    assertThat(wire.getUnsignedByte(5)).isEqualTo((short) Frame.VERSION);
    assertThat(wire.getUnsignedByte(6)).isEqualTo((short) MessageType.REQUEST.code());
    assertThat(wire.getLong(7)).isEqualTo(1L << 40);
    channel.writeInbound(wire);
    assertThat((Frame) channel.readInbound()).isEqualTo(frame);
  }

  @Test
  void frameWithoutPayloadRoundTrips() {
    Frame frame = Frame.of(MessageType.HEARTBEAT, Frame.NO_REQUEST);

    channel.writeInbound(encode(frame));

    assertThat((Frame) channel.readInbound()).isEqualTo(frame);
  }

  @Test
  void framesSplitAndCoalescedArbitrarilyDecodeInOrder() {
    ByteBuf wire = Unpooled.buffer();
    for (int i = 0; i < 5; i++) {
      ByteBuf one = encode(new Frame(MessageType.RESPONSE, i, new byte[i * 10]));
      wire.writeBytes(one);
      one.release();
    }
    while (wire.isReadable()) {
      channel.writeInbound(wire.readRetainedSlice(Math.min(3, wire.readableBytes())));
    }
    wire.release();

    for (int i = 0; i < 5; i++) {
      Frame frame = channel.readInbound();
      assertThat(frame.requestId()).isEqualTo(i);
      assertThat(frame.payload()).hasSize(i * 10);
    }
    assertThat((Object) channel.readInbound()).isNull();
  }

  @Test
  void lengthOverTheLimitFailsBeforeTheFrameArrives() {
    ByteBuf prefix = Unpooled.buffer().writeInt(MAX + 1);

    assertThatThrownBy(() -> channel.writeInbound(prefix))
        .isInstanceOf(TooLongFrameException.class)
        .hasMessage("frame of 1025 bytes exceeds the limit of 1024 bytes");
  }

  @Test
  void lengthShorterThanTheHeaderIsCorrupt() {
    ByteBuf wire = Unpooled.buffer().writeInt(3).writeBytes(new byte[3]);

    assertThatThrownBy(() -> channel.writeInbound(wire))
        .isInstanceOf(CorruptedFrameException.class)
        .hasMessageContaining("shorter than the 11-byte header");
  }

  @Test
  void bytesAfterAnErrorAreDiscardedWithoutFurtherErrors() {
    ByteBuf bad = Unpooled.buffer().writeInt(Frame.HEADER_BYTES).writeByte(0).writeBytes(new byte[10]);
    assertThatThrownBy(() -> channel.writeInbound(bad)).hasMessage("bad magic byte 0x00");

    channel.writeInbound(encode(Frame.of(MessageType.HEARTBEAT, 0)));

    assertThat((Object) channel.readInbound()).isNull();
  }

  @Test
  void decoderReadsOnlyInsideItsFrame() {
    // A payload that itself looks like a length prefix must not be interpreted as one.
    ByteBuf wire = encode(new Frame(MessageType.REQUEST, 1, new byte[] {0x7F, -1, -1, -1}));
    ByteBuf next = encode(new Frame(MessageType.REQUEST, 2, new byte[0]));

    channel.writeInbound(wire, next);

    assertThat(((Frame) channel.readInbound()).payload()).containsExactly(0x7F, -1, -1, -1);
    assertThat(((Frame) channel.readInbound()).requestId()).isEqualTo(2);
  }

  @Test
  void raisedLimitAcceptsLargerFrames() {
    FrameDecoder decoder = channel.pipeline().get(FrameDecoder.class);
    decoder.maxFrameBytes(4096);
    ByteBuf wire = Unpooled.buffer().writeInt(Frame.HEADER_BYTES + 2000)
        .writeByte(Frame.MAGIC).writeByte(Frame.VERSION).writeByte(MessageType.REQUEST.code())
        .writeLong(9).writeBytes(new byte[2000]);

    channel.writeInbound(wire);

    assertThat(((Frame) channel.readInbound()).payload()).hasSize(2000);
  }

  private ByteBuf encode(Frame frame) {
    channel.writeOutbound(frame);
    ByteBuf wire = Unpooled.buffer();
    for (ByteBuf part; (part = channel.readOutbound()) != null; ) {
      wire.writeBytes(part);
      part.release();
    }
    return wire;
  }
}

package io.dstream.executor.transport.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Misbehaving peers are rejected or cleaned up, and an authenticated connection on the same
 * server keeps working afterwards.
 */
@Timeout(30)
class ProtocolRobustnessTest {
  private static final SharedSecret SECRET = SharedSecret.of("cluster-secret");
  private static final int MAX_FRAME_BYTES = 1 << 20;
  private static final ProtocolConfig CONFIG = ProtocolConfig.defaults()
      .withIoThreads(2)
      .withMaxFrameBytes(MAX_FRAME_BYTES)
      .withHandshakeTimeout(Duration.ofMillis(500))
      .withHeartbeat(Duration.ZERO, Duration.ZERO);

  private final RecordingListener serverEvents = new RecordingListener();
  private ProtocolServer server;
  private ProtocolClient client;
  private PeerConnection good;

  @BeforeEach
  void start() throws Exception {
    server = ProtocolServer.bind("127.0.0.1", 0, "driver", SECRET, CONFIG, serverEvents);
    client = new ProtocolClient(CONFIG, new RecordingListener());
    good = client.connect("127.0.0.1", server.port(), "good", SECRET).get(5, TimeUnit.SECONDS);
    serverEvents.awaitConnected();
  }

  @AfterEach
  void stop() throws InterruptedException {
    client.close();
    server.close();
    NetThreads.assertAllTerminated();
  }

  /** The authenticated connection still answers, and nothing disconnected it. */
  private void assertGoodConnectionWorks() throws Exception {
    byte[] payload = "still working".getBytes(StandardCharsets.UTF_8);
    Frame answer = good.request(MessageType.REQUEST, payload).get(5, TimeUnit.SECONDS);
    assertThat(answer.payload()).isEqualTo(payload);
    assertThat(good.isOpen()).isTrue();
    assertThat(serverEvents.disconnected)
        .noneMatch(disconnect -> disconnect.connection().peerId().equals("good"));
  }

  @Test
  void garbageWithBadMagicIsRejected() throws Exception {
    try (RawPeer peer = RawPeer.connect(server.port())) {
      byte[] garbage = new byte[40];
      new Random(7).nextBytes(garbage);
      garbage[0] = 0x13;
      peer.writeInt(garbage.length);
      peer.writeRaw(garbage);

      assertThat(serverEvents.awaitRejected()).isEqualTo("protocol error: bad magic byte 0x13");
      peer.readUntilClosed();
    }
    assertGoodConnectionWorks();
  }

  @Test
  void httpRequestIsRejectedByItsImplausibleLength() throws Exception {
    try (RawPeer peer = RawPeer.connect(server.port())) {
      peer.writeRaw("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

      assertThat(serverEvents.awaitRejected())
          .startsWith("protocol error: frame of 1195725856 bytes exceeds the limit of 65536 bytes");
      peer.readUntilClosed();
    }
    assertGoodConnectionWorks();
  }

  @Test
  void oversizedLengthPrefixIsRejectedBeforeAuthentication() throws Exception {
    try (RawPeer peer = RawPeer.connect(server.port())) {
      peer.writeInt(0xFFFFFFFF);

      assertThat(serverEvents.awaitRejected()).contains("frame of 4294967295 bytes exceeds the limit");
      peer.readUntilClosed();
    }
    assertGoodConnectionWorks();
  }

  @Test
  void oversizedLengthPrefixClosesAnAuthenticatedConnection() throws Exception {
    try (RawPeer peer = RawPeer.authenticated(server.port(), "w7", SECRET)) {
      serverEvents.awaitConnected();
      peer.writeInt(MAX_FRAME_BYTES + 1);

      RecordingListener.Disconnect disconnect = serverEvents.awaitDisconnected();
      assertThat(disconnect.connection().peerId()).isEqualTo("w7");
      assertThat(disconnect.cause()).hasMessageContaining(
          "frame of " + (MAX_FRAME_BYTES + 1) + " bytes exceeds the limit of " + MAX_FRAME_BYTES);
      peer.readUntilClosed();
    }
    assertGoodConnectionWorks();
  }

  @Test
  void truncatedFrameThenDisconnectIsCleanedUp() throws Exception {
    try (RawPeer peer = RawPeer.connect(server.port())) {
      peer.writeInt(100);
      peer.writeRaw(new byte[10]);
    }

    assertThat(serverEvents.awaitRejected())
        .isEqualTo("connection closed in the middle of a frame (14 bytes buffered) before authenticating");
    assertGoodConnectionWorks();
  }

  @Test
  void disconnectInTheMiddleOfALargeFrameIsCleanedUp() throws Exception {
    try (RawPeer peer = RawPeer.authenticated(server.port(), "w7", SECRET)) {
      serverEvents.awaitConnected();
      peer.writeInt(Frame.HEADER_BYTES + 512 * 1024);
      peer.writeRaw(new byte[] {(byte) Frame.MAGIC, Frame.VERSION, (byte) MessageType.REQUEST.code()});
      peer.writeRaw(new byte[100 * 1024]);
      peer.abort();
    }

    RecordingListener.Disconnect disconnect = serverEvents.awaitDisconnected();
    assertThat(disconnect.connection().peerId()).isEqualTo("w7");
    assertThat(serverEvents.messages).isEmpty();
    assertGoodConnectionWorks();
  }

  @Test
  void nonHelloFirstFrameIsRejected() throws Exception {
    try (RawPeer peer = RawPeer.connect(server.port())) {
      peer.writeFrame(MessageType.REQUEST, 1, "let me in".getBytes(StandardCharsets.UTF_8));

      assertThat(peer.readUntilClosed()).isEqualTo("expected HELLO but received REQUEST");
    }
    assertThat(serverEvents.awaitRejected()).isEqualTo("expected HELLO but received REQUEST");
    assertThat(serverEvents.messages).isEmpty();
    assertGoodConnectionWorks();
  }

  @Test
  void unknownMessageTypeIsRejected() throws Exception {
    try (RawPeer peer = RawPeer.connect(server.port())) {
      peer.writeFrame(Frame.MAGIC, Frame.VERSION, 200, 0, new byte[0]);

      assertThat(serverEvents.awaitRejected()).isEqualTo("protocol error: unknown message type 200");
      peer.readUntilClosed();
    }
    assertGoodConnectionWorks();
  }

  @Test
  void unsupportedVersionIsRejected() throws Exception {
    try (RawPeer peer = RawPeer.connect(server.port())) {
      peer.writeFrame(Frame.MAGIC, 2, MessageType.HELLO.code(), 0, new byte[0]);

      assertThat(serverEvents.awaitRejected()).isEqualTo("protocol error: unsupported protocol version 2");
      peer.readUntilClosed();
    }
    assertGoodConnectionWorks();
  }

  @Test
  void malformedHelloIsRejected() throws Exception {
    try (RawPeer peer = RawPeer.connect(server.port())) {
      peer.writeFrame(MessageType.HELLO, 0, HandshakeMessages.hello("bad id\n", SharedSecret.newNonce()));

      assertThat(serverEvents.awaitRejected()).isEqualTo("protocol error: malformed HELLO: invalid peer id");
      peer.readUntilClosed();
    }
    assertGoodConnectionWorks();
  }

  @Test
  void wrongProofIsRejected() throws Exception {
    try (RawPeer peer = RawPeer.connect(server.port())) {
      peer.writeFrame(MessageType.HELLO, 0, HandshakeMessages.hello("w9", SharedSecret.newNonce()));
      assertThat(peer.readFrame().type()).isEqualTo(MessageType.CHALLENGE);
      peer.writeFrame(MessageType.AUTH, 0, new byte[SharedSecret.PROOF_BYTES]);

      assertThat(peer.readUntilClosed()).isEqualTo("wrong shared secret");
    }
    assertThat(serverEvents.awaitRejected()).isEqualTo("wrong shared secret");
    assertGoodConnectionWorks();
  }

  @Test
  void silentClientIsClosedAfterTheHandshakeTimeout() throws Exception {
    try (RawPeer peer = RawPeer.connect(server.port())) {
      assertThat(peer.readUntilClosed()).isEqualTo("handshake not completed within 500 ms");
    }
    assertThat(serverEvents.awaitRejected()).isEqualTo("handshake not completed within 500 ms");
    assertGoodConnectionWorks();
  }

  @Test
  void clientStuckAfterHelloIsClosedAfterTheHandshakeTimeout() throws Exception {
    try (RawPeer peer = RawPeer.connect(server.port())) {
      peer.writeFrame(MessageType.HELLO, 0, HandshakeMessages.hello("w9", SharedSecret.newNonce()));

      assertThat(peer.readUntilClosed()).isEqualTo("handshake not completed within 500 ms");
    }
    assertGoodConnectionWorks();
  }

  @Test
  void handshakeFrameAfterAuthenticationClosesTheConnection() throws Exception {
    try (RawPeer peer = RawPeer.authenticated(server.port(), "w7", SECRET)) {
      serverEvents.awaitConnected();
      peer.writeFrame(MessageType.HELLO, 0, HandshakeMessages.hello("w7", SharedSecret.newNonce()));

      RecordingListener.Disconnect disconnect = serverEvents.awaitDisconnected();
      assertThat(disconnect.cause()).hasMessageContaining("protocol error: HELLO after authentication");
      peer.readUntilClosed();
    }
    assertGoodConnectionWorks();
  }
}

package io.dstream.executor.transport.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HeartbeatTest {
  private static final SharedSecret SECRET = SharedSecret.of("cluster-secret");
  private static final ProtocolConfig HEARTBEATS = ProtocolConfig.defaults()
      .withIoThreads(2)
      .withHeartbeat(Duration.ofMillis(100), Duration.ofMillis(500));
  private static final ProtocolConfig SILENT = HEARTBEATS.withHeartbeat(Duration.ZERO, Duration.ZERO);

  private final RecordingListener serverEvents = new RecordingListener();
  private final RecordingListener clientEvents = new RecordingListener();
  private ProtocolServer server;
  private ProtocolClient client;

  @AfterEach
  void stop() throws InterruptedException {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    NetThreads.assertAllTerminated();
  }

  @Test
  void peerThatStopsHeartbeatingIsReportedLost() throws Exception {
    server = ProtocolServer.bind("127.0.0.1", 0, "driver", SECRET, HEARTBEATS, serverEvents);
    client = new ProtocolClient(SILENT, clientEvents);
    client.connect("127.0.0.1", server.port(), "w3", SECRET).get(5, TimeUnit.SECONDS);
    serverEvents.awaitConnected();
    long start = System.nanoTime();

    RecordingListener.Disconnect lost = serverEvents.awaitDisconnected();

    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(lost.connection().peerId()).isEqualTo("w3");
    assertThat(lost.cause()).hasMessageContaining("peer w3@").hasMessageContaining("lost: nothing received for 500 ms");
    assertThat(millis).isBetween(300L, 2_000L);
    assertThat(clientEvents.awaitDisconnected().connection().peerId()).isEqualTo("driver");
  }

  @Test
  void heartbeatsKeepAConnectionWithALongRequestAlive() throws Exception {
    ScheduledExecutorService slowTask = Executors.newSingleThreadScheduledExecutor();
    try {
      // The answer takes more than twice the peer timeout; only heartbeats keep both sides alive.
      serverEvents.handler((connection, frame) ->
          slowTask.schedule(() -> connection.reply(frame, frame.payload()), 1_200, TimeUnit.MILLISECONDS));
      server = ProtocolServer.bind("127.0.0.1", 0, "driver", SECRET, HEARTBEATS, serverEvents);
      client = new ProtocolClient(HEARTBEATS, clientEvents);
      PeerConnection connection = client.connect("127.0.0.1", server.port(), "w3", SECRET).get(5, TimeUnit.SECONDS);

      Frame answer = connection.request(MessageType.REQUEST, new byte[] {42}).get(5, TimeUnit.SECONDS);

      assertThat(answer.payload()).containsExactly(42);
      assertThat(connection.isOpen()).isTrue();
      assertThat(serverEvents.disconnected).isEmpty();
      assertThat(clientEvents.disconnected).isEmpty();
    } finally {
      slowTask.shutdownNow();
    }
  }

  @Test
  void abruptlyClosedPeerIsReportedWithoutWaitingForTheTimeout() throws Exception {
    ProtocolConfig patient = HEARTBEATS.withHeartbeat(Duration.ofMillis(100), Duration.ofSeconds(20));
    server = ProtocolServer.bind("127.0.0.1", 0, "driver", SECRET, patient, serverEvents);
    RawPeer peer = RawPeer.authenticated(server.port(), "w4", SECRET);
    serverEvents.awaitConnected();
    long start = System.nanoTime();

    peer.abort();

    RecordingListener.Disconnect lost = serverEvents.awaitDisconnected();
    assertThat(lost.connection().peerId()).isEqualTo("w4");
    assertThat(lost.cause()).hasMessageNotContaining("nothing received");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_000L);
  }

  @Test
  void clientReportsASilentServerLost() throws Exception {
    client = new ProtocolClient(HEARTBEATS, clientEvents);
    try (ServerSocket silentServer = new ServerSocket(0)) {
      CompletableFuture<Void> fake = CompletableFuture.runAsync(() -> authenticateThenStaySilent(silentServer));
      PeerConnection connection =
          client.connect("127.0.0.1", silentServer.getLocalPort(), "w5", SECRET).get(5, TimeUnit.SECONDS);

      RecordingListener.Disconnect lost = clientEvents.awaitDisconnected();

      assertThat(lost.connection()).isSameAs(connection);
      assertThat(lost.cause()).hasMessageContaining("lost: nothing received for 500 ms");
      fake.get(5, TimeUnit.SECONDS);
    }
  }

  /** A server that knows the secret, completes the handshake and then never writes again. */
  private static void authenticateThenStaySilent(ServerSocket serverSocket) {
    try (Socket socket = serverSocket.accept()) {
      RawPeer peer = new RawPeer(socket);
      HandshakeMessages.Hello hello = HandshakeMessages.parseHello(peer.readFrame().payload());
      byte[] serverNonce = SharedSecret.newNonce();
      peer.writeFrame(MessageType.CHALLENGE, 0, serverNonce);
      peer.readFrame();
      byte[] proof = SECRET.serverProof(hello.nonce(), serverNonce, hello.clientId());
      peer.writeFrame(MessageType.WELCOME, 0, HandshakeMessages.welcome(proof, "driver"));
      peer.readUntilClosed();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

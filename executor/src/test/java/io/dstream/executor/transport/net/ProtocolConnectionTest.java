package io.dstream.executor.transport.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.error.EngineException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ProtocolConnectionTest {
  private static final SharedSecret SECRET = SharedSecret.of("cluster-secret");
  private static final ProtocolConfig CONFIG = ProtocolConfig.defaults().withIoThreads(2);

  private final RecordingListener serverEvents = new RecordingListener();
  private final RecordingListener clientEvents = new RecordingListener();
  private ProtocolServer server;
  private ProtocolClient client;

  @BeforeEach
  void start() {
    server = ProtocolServer.bind("127.0.0.1", 0, "driver", SECRET, CONFIG, serverEvents);
    client = new ProtocolClient(CONFIG, clientEvents);
  }

  @AfterEach
  void stop() throws InterruptedException {
    client.close();
    server.close();
    NetThreads.assertAllTerminated();
  }

  private PeerConnection connect(String clientId) throws Exception {
    return client.connect("127.0.0.1", server.port(), clientId, SECRET).get(5, TimeUnit.SECONDS);
  }

  @Test
  void handshakeAuthenticatesBothSidesAndReportsPeerIds() throws Exception {
    PeerConnection toServer = connect("w3");
    PeerConnection toClient = serverEvents.awaitConnected();

    assertThat(toServer.peerId()).isEqualTo("driver");
    assertThat(toServer.isOpen()).isTrue();
    assertThat(toServer.remoteAddress().getPort()).isEqualTo(server.port());
    assertThat(toClient.peerId()).isEqualTo("w3");
    assertThat(toClient.remoteAddress().getAddress().isLoopbackAddress()).isTrue();
    assertThat(clientEvents.awaitConnected()).isSameAs(toServer);
    assertThat(serverEvents.rejected).isEmpty();
  }

  @Test
  void clientRequestIsAnsweredByServer() throws Exception {
    PeerConnection connection = connect("w1");

    Frame answer = connection.request(MessageType.REQUEST, bytes("ping")).get(5, TimeUnit.SECONDS);

    assertThat(answer.type()).isEqualTo(MessageType.RESPONSE);
    assertThat(text(answer)).isEqualTo("ping");
  }

  @Test
  void serverRequestIsAnsweredByClient() throws Exception {
    connect("w1");
    clientEvents.handler((connection, frame) -> connection.reply(frame, bytes("pong:" + text(frame))));
    PeerConnection toClient = serverEvents.awaitConnected();

    Frame answer = toClient.request(MessageType.REQUEST, bytes("ping")).get(5, TimeUnit.SECONDS);

    assertThat(text(answer)).isEqualTo("pong:ping");
  }

  @Test
  void oneWayFrameReachesTheListener() throws Exception {
    PeerConnection connection = connect("w1");

    connection.send(MessageType.REQUEST, Frame.NO_REQUEST, bytes("fire and forget")).get(5, TimeUnit.SECONDS);

    Frame received = serverEvents.awaitMessage();
    assertThat(received.requestId()).isEqualTo(Frame.NO_REQUEST);
    assertThat(text(received)).isEqualTo("fire and forget");
  }

  @Test
  void concurrentRequestsAreCorrelatedByRequestId() throws Exception {
    ExecutorService responders = Executors.newFixedThreadPool(4);
    ExecutorService senders = Executors.newFixedThreadPool(8);
    try {
      // Answers come back from several threads, so out of order; correlation must still hold.
      serverEvents.handler((connection, frame) -> responders.execute(() -> {
        long value = ByteBuffer.wrap(frame.payload()).getLong();
        connection.reply(frame, ByteBuffer.allocate(Long.BYTES).putLong(value * 3).array());
      }));
      PeerConnection connection = connect("w1");
      List<CompletableFuture<Void>> checks = new ArrayList<>();
      for (int thread = 0; thread < 8; thread++) {
        int base = thread * 1_000;
        checks.add(CompletableFuture.runAsync(() -> {
          List<CompletableFuture<Frame>> answers = new ArrayList<>();
          for (int i = 0; i < 500; i++) {
            answers.add(connection.request(
                MessageType.REQUEST, ByteBuffer.allocate(Long.BYTES).putLong(base + i).array()));
          }
          for (int i = 0; i < 500; i++) {
            long answer = ByteBuffer.wrap(answers.get(i).join().payload()).getLong();
            assertThat(answer).isEqualTo((base + i) * 3L);
          }
        }, senders));
      }
      CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
      assertThat(connection.pendingRequests()).isZero();
    } finally {
      responders.shutdownNow();
      senders.shutdownNow();
    }
  }

  @Test
  void fiftyMebibytePayloadRoundTrips() throws Exception {
    byte[] payload = new byte[50 << 20];
    new Random(42).nextBytes(payload);
    PeerConnection connection = connect("w1");

    Frame answer = connection.request(MessageType.REQUEST, payload).get(20, TimeUnit.SECONDS);

    assertThat(answer.payload().length).isEqualTo(payload.length);
    assertThat(answer.payload()).isEqualTo(payload);
  }

  @Test
  void errorAnswerCompletesTheRequestWithTheErrorFrame() throws Exception {
    serverEvents.handler((connection, frame) -> connection.replyError(frame, bytes("no such query")));
    PeerConnection connection = connect("w1");

    Frame answer = connection.request(MessageType.REQUEST, bytes("x")).get(5, TimeUnit.SECONDS);

    assertThat(answer.type()).isEqualTo(MessageType.ERROR);
    assertThat(text(answer)).isEqualTo("no such query");
  }

  @Test
  void listenerFailureIsAnsweredWithAnErrorAndKeepsTheConnection() throws Exception {
    serverEvents.handler((connection, frame) -> {
      if (text(frame).equals("boom")) {
        throw new IllegalStateException("handler exploded");
      }
      connection.reply(frame, frame.payload());
    });
    PeerConnection connection = connect("w1");

    Frame failed = connection.request(MessageType.REQUEST, bytes("boom")).get(5, TimeUnit.SECONDS);
    Frame fine = connection.request(MessageType.REQUEST, bytes("fine")).get(5, TimeUnit.SECONDS);

    assertThat(failed.type()).isEqualTo(MessageType.ERROR);
    assertThat(text(failed)).isEqualTo("handler exploded");
    assertThat(text(fine)).isEqualTo("fine");
  }

  @Test
  void unansweredRequestTimesOutAndConnectionStaysUsable() throws Exception {
    serverEvents.handler((connection, frame) -> {
      if (!text(frame).equals("ignore me")) {
        connection.reply(frame, frame.payload());
      }
    });
    PeerConnection connection = connect("w1");

    CompletableFuture<Frame> ignored = connection.request(MessageType.REQUEST, bytes("ignore me"), Duration.ofMillis(100));

    assertThatThrownBy(() -> ignored.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TimeoutException.class)
        .hasMessageContaining("within 100 ms");
    assertThat(text(connection.request(MessageType.REQUEST, bytes("still here")).get(5, TimeUnit.SECONDS)))
        .isEqualTo("still here");
    assertThat(connection.pendingRequests()).isZero();
  }

  @Test
  void pendingRequestsFailWhenThePeerClosesTheConnection() throws Exception {
    serverEvents.handler((connection, frame) -> { });
    PeerConnection connection = connect("w1");
    PeerConnection toClient = serverEvents.awaitConnected();
    List<CompletableFuture<Frame>> pending = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      pending.add(connection.request(MessageType.REQUEST, bytes("wait " + i)));
    }
    for (int i = 0; i < 3; i++) {
      serverEvents.awaitMessage();
    }

    toClient.close();

    for (CompletableFuture<Frame> request : pending) {
      assertThatThrownBy(() -> request.get(5, TimeUnit.SECONDS))
          .hasCauseInstanceOf(EngineException.class)
          .hasMessageContaining("closed before request");
    }
    assertThat(clientEvents.awaitDisconnected().connection()).isSameAs(connection);
    assertThat(serverEvents.awaitDisconnected().cause()).hasMessageContaining("closed locally");
    assertThat(connection.isOpen()).isFalse();
    assertThatThrownBy(() -> connection.request(MessageType.REQUEST, bytes("late")).get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(EngineException.class);
  }

  @Test
  void pendingRequestsFailWhenTheServerShutsDown() throws Exception {
    serverEvents.handler((connection, frame) -> { });
    PeerConnection connection = connect("w1");
    CompletableFuture<Frame> request = connection.request(MessageType.REQUEST, bytes("wait"));
    serverEvents.awaitMessage();

    server.close();

    assertThatThrownBy(() -> request.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(EngineException.class);
    assertThat(clientEvents.awaitDisconnected().connection()).isSameAs(connection);
    assertThat(connection.closeFuture().get(5, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void frameOverTheLimitFailsTheSendButNotTheConnection() throws Exception {
    try (ProtocolClient small = new ProtocolClient(CONFIG.withMaxFrameBytes(1 << 20), clientEvents)) {
      PeerConnection connection =
          small.connect("127.0.0.1", server.port(), "w1", SECRET).get(5, TimeUnit.SECONDS);

      CompletableFuture<Void> sent = connection.send(MessageType.REQUEST, 0, new byte[2 << 20]);

      assertThatThrownBy(() -> sent.get(5, TimeUnit.SECONDS)).hasMessageContaining("exceeds the limit");
      assertThat(text(connection.request(MessageType.REQUEST, bytes("ok")).get(5, TimeUnit.SECONDS))).isEqualTo("ok");
    }
  }

  @Test
  void handshakeTypesCannotBeSentByApplications() throws Exception {
    PeerConnection connection = connect("w1");

    assertThatThrownBy(() -> connection.send(MessageType.WELCOME, 0, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> connection.request(MessageType.RESPONSE, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void wrongSecretIsRejectedWithTheReasonOnBothSides() {
    CompletableFuture<PeerConnection> attempt =
        client.connect("127.0.0.1", server.port(), "w3", SharedSecret.of("not the secret"));

    assertThatThrownBy(() -> attempt.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(EngineException.class)
        .hasMessageContaining("as w3 failed: rejected by the server: wrong shared secret");
    assertThat(serverEvents.rejected).containsExactly("wrong shared secret");
    assertThat(serverEvents.connected).isEmpty();
  }

  @Test
  void serverThatCannotProveTheSecretIsRejectedByTheClient() throws Exception {
    try (ServerSocket impostor = new ServerSocket(0)) {
      CompletableFuture<Void> fake = CompletableFuture.runAsync(() -> playImpostor(impostor));
      CompletableFuture<PeerConnection> attempt =
          client.connect("127.0.0.1", impostor.getLocalPort(), "w1", SECRET);

      assertThatThrownBy(() -> attempt.get(5, TimeUnit.SECONDS))
          .hasMessageContaining("the server failed to prove the shared secret");
      fake.get(5, TimeUnit.SECONDS);
    }
  }

  /** Accepts one client, answers its HELLO and AUTH without knowing the secret. */
  private static void playImpostor(ServerSocket impostor) {
    try (Socket socket = impostor.accept()) {
      RawPeer peer = new RawPeer(socket);
      assertThat(peer.readFrame().type()).isEqualTo(MessageType.HELLO);
      peer.writeFrame(MessageType.CHALLENGE, 0, SharedSecret.newNonce());
      assertThat(peer.readFrame().type()).isEqualTo(MessageType.AUTH);
      peer.writeFrame(MessageType.WELCOME, 0, HandshakeMessages.welcome(new byte[32], "driver"));
      peer.readUntilClosed();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void connectionRefusedFailsTheFuture() throws Exception {
    int port;
    try (ServerSocket unused = new ServerSocket(0)) {
      port = unused.getLocalPort();
    }

    assertThatThrownBy(() -> client.connect("127.0.0.1", port, "w1", SECRET).get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(EngineException.class)
        .hasMessageContaining("connection to 127.0.0.1:" + port + " as w1 failed");
  }

  @Test
  void invalidClientIdIsRefusedLocally() {
    assertThatThrownBy(() -> client.connect("127.0.0.1", server.port(), "bad id\n", SECRET))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void closingTheClientClosesItsConnectionsAndStopsItsThreads() throws Exception {
    PeerConnection connection = connect("w1");
    serverEvents.awaitConnected();

    client.close();

    assertThat(connection.isOpen()).isFalse();
    assertThat(client.group().isTerminated()).isTrue();
    assertThat(serverEvents.awaitDisconnected().connection().peerId()).isEqualTo("w1");
    assertThatThrownBy(() -> client.connect("127.0.0.1", server.port(), "w2", SECRET).get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(EngineException.class);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Frame frame) {
    return new String(frame.payload(), StandardCharsets.UTF_8);
  }

}

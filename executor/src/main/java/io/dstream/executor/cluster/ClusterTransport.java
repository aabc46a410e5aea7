package io.dstream.executor.cluster;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.block.BlockId;
import io.dstream.executor.block.BlockLocation;
import io.dstream.executor.codec.BatchCodec;
import io.dstream.executor.codec.PlanCodec;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.scheduler.QueryDag;
import io.dstream.executor.scheduler.Task;
import io.dstream.executor.scheduler.TaskResult;
import io.dstream.executor.source.Source;
import io.dstream.executor.source.SourceDescriptor;
import io.dstream.executor.transport.Transport;
import io.dstream.executor.transport.net.ConnectionListener;
import io.dstream.executor.transport.net.Frame;
import io.dstream.executor.transport.net.MessageType;
import io.dstream.executor.transport.net.PeerConnection;
import io.dstream.executor.transport.net.ProtocolConfig;
import io.dstream.executor.transport.net.ProtocolServer;
import io.dstream.executor.transport.net.SharedSecret;
import io.dstream.executor.type.RowType;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's side of cluster mode: worker processes connect to its port, authenticate with
 * the shared secret and register their task slots; queries are installed on every worker and
 * tasks launched on them by request. Blocks a reduce task needs from another worker are
 * relayed through the driver. Thread-safe.
 */
public final class ClusterTransport implements Transport, ConnectionListener {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterTransport.class);
  private static final Duration TASK_TIMEOUT = Duration.ofMinutes(30);

  private record Member(PeerConnection connection, int cores) {}

  private final ConcurrentSkipListMap<String, Member> members = new ConcurrentSkipListMap<>();
  private final Map<String, byte[]> installed = new ConcurrentHashMap<>();
  private final ProtocolServer server;

  private ClusterTransport(String host, int port, SharedSecret secret, ProtocolConfig config) {
    this.server = ProtocolServer.bind(host, port, "driver", secret, config, this);
    LOG.info("Driver listening for workers on {}:{}", host, server.port());
  }

  public static ClusterTransport start(String host, int port, SharedSecret secret, ProtocolConfig config) {
    return new ClusterTransport(host, port, secret, config);
  }

  public int port() {
    return server.port();
  }

  /** Blocks until at least {@code count} workers registered; false on timeout. */
  public synchronized boolean awaitWorkers(int count, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (members.size() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  @Override
  public List<String> workers() {
    return new ArrayList<>(members.keySet());
  }

  @Override
  public int parallelism() {
    int total = 0;
    for (Member m : members.values()) {
      total += m.cores();
    }
    return Math.max(1, total);
  }

  @Override
  public void install(QueryDag dag, Source source, SourceDescriptor descriptor) {
    install(dag, java.util.Collections.singletonList(source), java.util.Collections.singletonList(descriptor));
  }

  @Override
  public void install(QueryDag dag, List<Source> sources, List<SourceDescriptor> descriptors) {
    if (members.isEmpty()) {
      throw new EngineException(ErrorCode.RESOURCE_EXHAUSTED,
          "No worker is registered with the driver; start one with ./dstream worker --driver HOST:PORT");
    }
    // Memory and socket streams are read from their replicated input blocks (see InputReplicator).
    for (int i = 0; i < descriptors.size(); i++) {
      if (descriptors.get(i) == null) {
        throw new EngineException(ErrorCode.UNSUPPORTED, "Stream '" + dag.branch(i).scan().stream()
            + "' cannot be read by remote workers; use csv, nexmark, memory or socket");
      }
    }
    byte[] message = ClusterMessages.install(dag, descriptors);
    installed.put(dag.query(), message);
    List<CompletableFuture<Frame>> replies = new ArrayList<>();
    for (Member m : members.values()) {
      replies.add(m.connection().request(MessageType.REQUEST, message));
    }
    for (CompletableFuture<Frame> reply : replies) {
      Frame frame = await(reply, "installing query " + dag.query());
      if (frame.type() == MessageType.ERROR) {
        // Not installed anywhere, and not on workers that join later either.
        uninstall(dag.query());
        throw ClusterMessages.error(frame.payload(), "installing query " + dag.query());
      }
    }
  }

  @Override
  public void uninstall(String query) {
    installed.remove(query);
    byte[] message = ClusterMessages.text(ClusterMessages.UNINSTALL, query);
    for (Member m : members.values()) {
      m.connection().send(MessageType.REQUEST, Frame.NO_REQUEST, message);
    }
  }

  @Override
  public CompletableFuture<TaskResult> launch(String worker, Task task) {
    Member member = members.get(worker);
    if (member == null) {
      return CompletableFuture.failedFuture(lost(worker, null));
    }
    byte[] message = ClusterMessages.message(ClusterMessages.LAUNCH, PlanCodec.encode(task));
    return member.connection().request(MessageType.REQUEST, message, TASK_TIMEOUT).handle((frame, error) -> {
      if (error != null) {
        // The request itself failed: the connection closed or the worker stopped answering.
        throw lost(worker, error);
      }
      if (frame.type() == MessageType.ERROR) {
        throw ClusterMessages.error(frame.payload(), "task on worker " + worker);
      }
      return PlanCodec.decodeTaskResult(frame.payload());
    });
  }

  @Override
  public void cancel(String worker, Task task) {
    Member member = members.get(worker);
    if (member != null) {
      member.connection().send(MessageType.REQUEST, Frame.NO_REQUEST,
          ClusterMessages.message(ClusterMessages.CANCEL, PlanCodec.encode(task)));
    }
  }

  @Override
  public ColumnBatch fetch(BlockLocation location, RowType rowType, BufferAllocator allocator) {
    Frame frame = await(request(location), "fetching block " + location.block());
    if (frame.type() == MessageType.ERROR) {
      throw ClusterMessages.error(frame.payload(), "fetching block " + location.block());
    }
    return BatchCodec.decode(frame.payload(), allocator, rowType);
  }

  private CompletableFuture<Frame> request(BlockLocation location) {
    Member owner = members.get(location.worker());
    if (owner == null) {
      return CompletableFuture.failedFuture(new EngineException(ErrorCode.WORKER_LOST,
          "Block " + location.block() + " was on worker " + location.worker() + ", which is lost"));
    }
    return owner.connection().request(MessageType.REQUEST,
        ClusterMessages.message(ClusterMessages.FETCH, PlanCodec.encode(location))).handle((frame, error) -> {
          if (error != null) {
            throw lost(location.worker(), error);
          }
          return frame;
        });
  }

  private static EngineException lost(String worker, Throwable cause) {
    Throwable c = cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null
        ? cause.getCause() : cause;
    return new EngineException(ErrorCode.WORKER_LOST, "Worker " + worker + " is lost"
        + (c == null ? "" : ": " + c.getMessage()), c);
  }

  @Override
  public void remove(BlockLocation location) {
    Member owner = members.get(location.worker());
    if (owner != null) {
      owner.connection().send(MessageType.REQUEST, Frame.NO_REQUEST,
          ClusterMessages.message(ClusterMessages.REMOVE, PlanCodec.encode(location)));
    }
  }

  @Override
  public CompletableFuture<Void> store(String worker, BlockId id, ColumnBatch batch, RowType rowType) {
    Member owner = members.get(worker);
    if (owner == null) {
      return CompletableFuture.failedFuture(lost(worker, null));
    }
    byte[] message = ClusterMessages.store(new BlockLocation(worker, id), rowType, BatchCodec.encode(batch));
    return owner.connection().request(MessageType.REQUEST, message, TASK_TIMEOUT).handle((frame, error) -> {
      if (error != null) {
        throw lost(worker, error);
      }
      if (frame.type() == MessageType.ERROR) {
        throw ClusterMessages.error(frame.payload(), "storing block " + id + " on worker " + worker);
      }
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> checkpoint(BlockLocation state, RowType rowType, Path file) {
    Member owner = members.get(state.worker());
    if (owner == null) {
      return CompletableFuture.failedFuture(lost(state.worker(), null));
    }
    byte[] message = ClusterMessages.blockFile(ClusterMessages.CHECKPOINT, state, rowType, file);
    return owner.connection().request(MessageType.REQUEST, message, TASK_TIMEOUT).handle((frame, error) -> {
      if (error != null) {
        throw lost(state.worker(), error);
      }
      if (frame.type() == MessageType.ERROR) {
        throw ClusterMessages.error(frame.payload(), "checkpointing block " + state.block());
      }
      return null;
    });
  }

  @Override
  public BlockLocation restore(String worker, BlockId block, RowType rowType, Path file) {
    Member owner = members.get(worker);
    if (owner == null) {
      throw lost(worker, null);
    }
    BlockLocation location = new BlockLocation(worker, block);
    byte[] message = ClusterMessages.blockFile(ClusterMessages.RESTORE, location, rowType, file);
    CompletableFuture<Frame> reply = owner.connection().request(MessageType.REQUEST, message, TASK_TIMEOUT)
        .handle((frame, error) -> {
          if (error != null) {
            throw lost(worker, error);
          }
          return frame;
        });
    Frame frame = await(reply, "restoring block " + block + " on worker " + worker);
    if (frame.type() == MessageType.ERROR) {
      throw ClusterMessages.error(frame.payload(), "restoring block " + block);
    }
    return location;
  }

  @Override
  public void onConnected(PeerConnection connection) {
    LOG.debug("Worker {} connected from {}", connection.peerId(), connection.remoteAddress());
  }

  @Override
  public void onMessage(PeerConnection connection, Frame frame) {
    if (frame.type() != MessageType.REQUEST) {
      return;
    }
    byte op = ClusterMessages.op(frame.payload());
    byte[] body = ClusterMessages.body(frame.payload());
    if (op == ClusterMessages.REGISTER) {
      int cores = ClusterMessages.cores(body);
      for (byte[] install : installed.values()) {
        connection.request(MessageType.REQUEST, install);
      }
      synchronized (this) {
        members.put(connection.peerId(), new Member(connection, cores));
        notifyAll();
      }
      LOG.info("Worker {} joined from {} with {} task slots", connection.peerId(), connection.remoteAddress(), cores);
      connection.reply(frame, new byte[0]);
    } else if (op == ClusterMessages.FETCH) {
      // A reduce task on one worker reads a block of another: relay it.
      request(PlanCodec.decodeBlockLocation(body)).whenComplete((reply, error) -> {
        if (error != null) {
          connection.replyError(frame, ClusterMessages.error(error));
        } else if (reply.type() == MessageType.ERROR) {
          connection.replyError(frame, reply.payload());
        } else {
          connection.reply(frame, reply.payload());
        }
      });
    } else {
      connection.replyError(frame, ClusterMessages.error(new EngineException(ErrorCode.INTERNAL_ERROR,
          "unexpected request " + op + " from worker " + connection.peerId())));
    }
  }

  @Override
  public void onDisconnected(PeerConnection connection, Throwable cause) {
    Member removed = members.get(connection.peerId());
    if (removed != null && removed.connection() == connection) {
      members.remove(connection.peerId(), removed);
      LOG.warn("Worker {} lost: {}", connection.peerId(), cause.getMessage());
    }
  }

  @Override
  public void onRejected(InetSocketAddress remote, String reason) {
    LOG.warn("Connection from {} rejected: {}", remote, reason);
  }

  private static Frame await(CompletableFuture<Frame> future, String what) {
    try {
      return future.get(TASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException(ErrorCode.INTERNAL_ERROR, "Interrupted while " + what, e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof EngineException ee ? ee
          : new EngineException(ErrorCode.INTERNAL_ERROR, "Failed " + what + ": " + c, c);
    } catch (TimeoutException e) {
      throw new EngineException(ErrorCode.INTERNAL_ERROR, "Timed out " + what, e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}

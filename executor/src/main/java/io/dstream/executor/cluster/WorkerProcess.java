package io.dstream.executor.cluster;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.block.BlockId;
import io.dstream.executor.block.BlockLocation;
import io.dstream.executor.codec.BatchCodec;
import io.dstream.executor.codec.PlanCodec;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.source.InputSplit;
import io.dstream.executor.source.MemoryLog;
import io.dstream.executor.source.MemorySource;
import io.dstream.executor.source.MemorySourceFactory;
import io.dstream.executor.source.Source;
import io.dstream.executor.source.SourceDescriptor;
import io.dstream.executor.source.SourceRegistry;
import io.dstream.executor.time.SystemClock;
import io.dstream.executor.transport.net.ConnectionListener;
import io.dstream.executor.transport.net.Frame;
import io.dstream.executor.transport.net.MessageType;
import io.dstream.executor.transport.net.PeerConnection;
import io.dstream.executor.transport.net.ProtocolClient;
import io.dstream.executor.transport.net.ProtocolConfig;
import io.dstream.executor.transport.net.SharedSecret;
import io.dstream.executor.type.RowType;
import io.dstream.executor.worker.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker in its own JVM: connects to the driver, authenticates, registers its task slots,
 * then installs queries, runs the tasks it is sent and serves its blocks. It ends when the
 * connection to the driver ends.
 */
public final class WorkerProcess implements AutoCloseable, ConnectionListener {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerProcess.class);

  private final String id;
  private final BufferAllocator root;
  private final Worker worker;
  private final ProtocolClient client;
  private final SourceRegistry sources = SourceRegistry.defaults(new MemorySourceFactory());
  private final CompletableFuture<Throwable> ended = new CompletableFuture<>();
  private volatile PeerConnection driver;

  private WorkerProcess(String id, int cores, long taskDelayMillis, long memoryLimitBytes,
      ProtocolConfig config) {
    this.id = requireNonNull(id, "id is null");
    this.root = new RootAllocator(memoryLimitBytes);
    this.worker = new Worker(id, cores, root, this::fetch, taskDelayMillis);
    this.client = new ProtocolClient(config, this);
  }

  /** Connects to the driver and registers; blocks until registered or failed. */
  public static WorkerProcess start(String host, int port, String id, int cores, SharedSecret secret,
      ProtocolConfig config) throws InterruptedException {
    return start(host, port, id, cores, 0, secret, config);
  }

  /**
   * The same, for a worker that waits {@code taskDelayMillis} before each task: a test option
   * that makes it a straggler.
   */
  public static WorkerProcess start(String host, int port, String id, int cores, long taskDelayMillis,
      SharedSecret secret, ProtocolConfig config) throws InterruptedException {
    return start(host, port, id, cores, taskDelayMillis, Long.MAX_VALUE, secret, config);
  }

  /**
   * The same, with at most {@code memoryLimitBytes} of Arrow memory for blocks and tasks: a task
   * that needs more fails with a resource error instead of exhausting the host.
   */
  public static WorkerProcess start(String host, int port, String id, int cores, long taskDelayMillis,
      long memoryLimitBytes, SharedSecret secret, ProtocolConfig config) throws InterruptedException {
    WorkerProcess process = new WorkerProcess(id, cores, taskDelayMillis, memoryLimitBytes, config);
    try {
      process.driver = process.client.connect(host, port, id, secret).get(30, TimeUnit.SECONDS);
      Frame reply = process.driver.request(MessageType.REQUEST, ClusterMessages.register(cores))
          .get(30, TimeUnit.SECONDS);
      if (reply.type() != MessageType.RESPONSE) {
        throw ClusterMessages.error(reply.payload(), "registering");
      }
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      process.close();
      Throwable c = e instanceof ExecutionException ? e.getCause() : e;
      throw new EngineException(ErrorCode.INTERNAL_ERROR,
          "Worker " + id + " could not join the driver at " + host + ":" + port + ": " + c.getMessage(), c);
    }
    LOG.info("Worker {} joined the driver at {}:{} with {} task slots", id, host, port, cores);
    if (taskDelayMillis > 0) {
      LOG.warn("Worker {} waits {} ms before each task (test option: a straggler)", id, taskDelayMillis);
    }
    return process;
  }

  /** Blocks until the connection to the driver ends; returns why. */
  public Throwable awaitEnd() throws InterruptedException {
    try {
      return ended.get();
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  private ColumnBatch fetch(BlockLocation location, RowType rowType, BufferAllocator allocator) {
    if (location.worker().equals(id)) {
      return worker.read(location.block(), allocator);
    }
    try {
      Frame reply = driver.request(MessageType.REQUEST,
          ClusterMessages.message(ClusterMessages.FETCH, PlanCodec.encode(location))).get(10, TimeUnit.MINUTES);
      if (reply.type() == MessageType.ERROR) {
        throw ClusterMessages.error(reply.payload(), "fetching " + location.block());
      }
      return BatchCodec.decode(reply.payload(), allocator, rowType);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException(ErrorCode.INTERNAL_ERROR, "Interrupted fetching " + location.block(), e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new EngineException(ErrorCode.INTERNAL_ERROR, "Cannot fetch " + location.block() + ": " + e, e);
    }
  }

  /**
   * This worker's reader of a stream. Memory and socket streams live in the driver: their splits
   * name replicated input blocks, read from this worker's store or from a replica.
   */
  private Source source(SourceDescriptor d) {
    if (d.connector().equalsIgnoreCase("memory") || d.connector().equalsIgnoreCase("socket")) {
      return new MemorySource(d.rowType(), new MemoryLog(d.stream()), 0, this::readInput);
    }
    return sources.factory(d.connector()).create(d.stream(), d.rowType(), d.options(), SystemClock.INSTANCE);
  }

  /** Reads an input block from the first replica that has it; WORKER_LOST when none does. */
  private ColumnBatch readInput(InputSplit split, RowType rowType, BufferAllocator allocator) {
    BlockId block = split.blockId();
    RuntimeException failure = null;
    for (String replica : split.replicas()) {
      if (replica.equals(id)) {
        if (worker.blocks().get(block) != null) {
          return worker.read(block, allocator);
        }
        continue;
      }
      try {
        return fetch(new BlockLocation(replica, block), rowType, allocator);
      } catch (RuntimeException e) {
        failure = e;
        LOG.debug("Worker {}: replica {} of input block {} is unavailable: {}", id, replica, block, e.toString());
      }
    }
    throw new EngineException(ErrorCode.WORKER_LOST, "No replica of input block " + block + " is reachable"
        + " (stored on " + String.join(", ", split.replicas()) + ")", failure);
  }

  @Override
  public void onConnected(PeerConnection connection) {}

  @Override
  public void onMessage(PeerConnection connection, Frame frame) {
    if (frame.type() != MessageType.REQUEST) {
      return;
    }
    try {
      byte op = ClusterMessages.op(frame.payload());
      byte[] body = ClusterMessages.body(frame.payload());
      switch (op) {
        case ClusterMessages.INSTALL -> {
          ClusterMessages.Install install = ClusterMessages.install(body);
          List<Source> readers = new ArrayList<>();
          for (SourceDescriptor d : install.sources()) {
            readers.add(source(d));
          }
          worker.installInputs(install.dag(), readers);
          connection.reply(frame, new byte[0]);
        }
        case ClusterMessages.STORE -> {
          ClusterMessages.Store request = ClusterMessages.store(body);
          try (ColumnBatch batch = BatchCodec.decode(request.data(), root, request.rowType())) {
            worker.store(request.location().block(), batch);
          }
          connection.reply(frame, new byte[0]);
        }
        case ClusterMessages.UNINSTALL -> worker.uninstall(ClusterMessages.text(body));
        case ClusterMessages.LAUNCH -> worker.launch(PlanCodec.decodeTask(body)).whenComplete((result, error) -> {
          if (error != null) {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
            connection.replyError(frame, ClusterMessages.error(cause));
          } else {
            connection.reply(frame, PlanCodec.encode(result));
          }
        });
        case ClusterMessages.FETCH -> {
          BlockLocation location = PlanCodec.decodeBlockLocation(body);
          try (ColumnBatch batch = worker.read(location.block(), root)) {
            connection.reply(frame, BatchCodec.encode(batch));
          }
        }
        case ClusterMessages.CHECKPOINT -> {
          // The share of the block is taken here, in order with later REMOVEs on this connection.
          ClusterMessages.BlockFile request = ClusterMessages.blockFile(body);
          worker.checkpoint(request.location().block(), request.file()).whenComplete((ignored, error) -> {
            if (error != null) {
              Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                  ? error.getCause() : error;
              connection.replyError(frame, ClusterMessages.error(cause));
            } else {
              connection.reply(frame, new byte[0]);
            }
          });
        }
        case ClusterMessages.RESTORE -> {
          ClusterMessages.BlockFile request = ClusterMessages.blockFile(body);
          worker.restore(request.location().block(), request.rowType(), request.file());
          connection.reply(frame, new byte[0]);
        }
        case ClusterMessages.CANCEL -> worker.cancel(PlanCodec.decodeTask(body));
        case ClusterMessages.REMOVE -> worker.blocks().remove(PlanCodec.decodeBlockLocation(body).block());
        default -> throw new EngineException(ErrorCode.INTERNAL_ERROR, "unknown request " + op);
      }
    } catch (RuntimeException e) {
      if (frame.requestId() != Frame.NO_REQUEST) {
        connection.replyError(frame, ClusterMessages.error(e));
      } else {
        LOG.warn("Worker {}: request failed: {}", id, e.toString());
      }
    }
  }

  @Override
  public void onDisconnected(PeerConnection connection, Throwable cause) {
    LOG.warn("Worker {} lost the driver: {}", id, cause.getMessage());
    ended.complete(cause);
  }

  @Override
  public void close() {
    if (driver != null) {
      driver.close();
    }
    client.close();
    worker.close();
    root.close();
    ended.complete(new EngineException(ErrorCode.INTERNAL_ERROR, "worker closed"));
  }
}

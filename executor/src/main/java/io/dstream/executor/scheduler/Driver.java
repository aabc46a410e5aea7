package io.dstream.executor.scheduler;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.checkpoint.CheckpointConfig;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.sink.Sink;
import io.dstream.executor.source.Source;
import io.dstream.executor.source.SourceDescriptor;
import io.dstream.executor.time.Clock;
import io.dstream.executor.transport.InProcessTransport;
import io.dstream.executor.transport.Transport;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The driver: owns the workers (through a transport), starts and stops queries, each with its
 * own job generator. Thread-safe.
 */
public final class Driver implements AutoCloseable {
  private volatile LateRowsHandler lateRowsHandler = LateRowsHandler.NONE;
  private final BufferAllocator root;
  private final BufferAllocator driverAllocator;
  private final Transport transport;
  private final Clock clock;
  private final long batchInterval;
  private final SpeculationConfig speculation;
  private final CheckpointConfig checkpoint;
  private final Map<String, QueryExecution> queries = new ConcurrentHashMap<>();

  /** An embedded driver with {@code workers} in-process workers. */
  public Driver(int workers, int coresPerWorker, long batchIntervalMillis, Clock clock) {
    this(workers, coresPerWorker, batchIntervalMillis, clock, SpeculationConfig.defaults());
  }

  /** An embedded driver that speculates on straggling tasks as {@code speculation} says. */
  public Driver(int workers, int coresPerWorker, long batchIntervalMillis, Clock clock,
      SpeculationConfig speculation) {
    this(root -> new InProcessTransport(workers, coresPerWorker, root), batchIntervalMillis, clock, speculation);
  }

  /** A driver over the transport {@code transports} makes from the driver's root allocator. */
  public Driver(Function<BufferAllocator, Transport> transports, long batchIntervalMillis, Clock clock) {
    this(transports, batchIntervalMillis, clock, SpeculationConfig.defaults());
  }

  /**
   * A driver over the transport {@code transports} makes from the driver's root allocator,
   * speculating on straggling tasks as {@code speculation} says.
   */
  public Driver(Function<BufferAllocator, Transport> transports, long batchIntervalMillis, Clock clock,
      SpeculationConfig speculation) {
    this(transports, batchIntervalMillis, clock, speculation, null);
  }

  /**
   * A driver over the transport {@code transports} makes from the driver's root allocator,
   * speculating as {@code speculation} says and checkpointing the state of every stateful query
   * as {@code checkpoint} says (null: no checkpoints; lineage then grows with the query).
   */
  public Driver(Function<BufferAllocator, Transport> transports, long batchIntervalMillis, Clock clock,
      SpeculationConfig speculation, CheckpointConfig checkpoint) {
    this.checkpoint = checkpoint;
    this.speculation = requireNonNull(speculation, "speculation is null");
    this.root = new RootAllocator();
    this.driverAllocator = root.newChildAllocator("driver", 0, Long.MAX_VALUE);
    this.transport = transports.apply(root);
    this.clock = requireNonNull(clock, "clock is null");
    this.batchInterval = batchIntervalMillis;
  }

  public long batchIntervalMillis() {
    return batchInterval;
  }

  public SpeculationConfig speculation() {
    return speculation;
  }

  /** Where and how often state is checkpointed, if it is. */
  public Optional<CheckpointConfig> checkpoint() {
    return Optional.ofNullable(checkpoint);
  }

  public Clock clock() {
    return clock;
  }

  public List<String> workers() {
    return transport.workers();
  }

  /** Sets who receives the rows that queries started from now on drop as late. */
  public void onLateRows(LateRowsHandler handler) {
    this.lateRowsHandler = java.util.Objects.requireNonNull(handler, "handler is null");
  }

  /** The physical DAG a plan would run as, without starting it. */
  public QueryDag dag(String query, PlanNode plan) {
    return QueryDag.of(query, plan, transport.parallelism());
  }

  /** Starts a continuous query; it owns {@code source} and {@code sink} from now on. */
  public QueryExecution start(String query, String sql, PlanNode plan, Source source, Sink sink) {
    return start(query, sql, plan, source, null, sink);
  }

  /**
   * Starts a continuous query whose source remote workers can recreate from {@code descriptor};
   * it owns {@code source} and {@code sink} from now on.
   */
  public QueryExecution start(String query, String sql, PlanNode plan, Source source,
      SourceDescriptor descriptor, Sink sink) {
    return start(query, sql, plan, source, descriptor, sink, QueryResume.FRESH, QueryProgressListener.NONE);
  }

  /**
   * Starts or resumes a continuous query as {@code resume} says, telling {@code listener} where
   * it stands after each batch; it owns {@code source} and {@code sink} from now on (also when
   * this throws).
   */
  public QueryExecution start(String query, String sql, PlanNode plan, Source source,
      SourceDescriptor descriptor, Sink sink, QueryResume resume, QueryProgressListener listener) {
    return start(query, sql, plan, java.util.Collections.singletonList(source), java.util.Collections.singletonList(descriptor), sink, resume,
        listener);
  }

  /**
   * Starts or resumes a continuous query with one source (and descriptor, possibly null) per
   * input branch of its DAG ({@link #dag}), in branch order; it owns the sources and
   * {@code sink} from now on (also when this throws).
   */
  public QueryExecution start(String query, String sql, PlanNode plan, List<Source> sources,
      List<SourceDescriptor> descriptors, Sink sink, QueryResume resume, QueryProgressListener listener) {
    QueryExecution execution;
    try {
      QueryDag dag = dag(query, plan);
      execution = new QueryExecution(dag, sql, sources, descriptors, sink, transport, speculation,
          checkpoint, clock, batchInterval, driverAllocator, resume, listener, lateRowsHandler);
    } catch (RuntimeException e) {
      transport.uninstall(query);
      sources.forEach(Source::close);
      try {
        sink.close();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    queries.put(query, execution);
    execution.start();
    return execution;
  }

  public Optional<QueryExecution> query(String id) {
    return Optional.ofNullable(queries.get(id));
  }

  public Collection<QueryExecution> queries() {
    return new ArrayList<>(queries.values());
  }

  /** Stops a query and forgets it; false when there is no such query. */
  public boolean stop(String id) {
    QueryExecution q = queries.remove(id);
    if (q == null) {
      return false;
    }
    q.close();
    return true;
  }

  /** Bytes currently allocated by all workers and the driver; 0 when nothing leaked. */
  public long allocatedBytes() {
    return root.getAllocatedMemory();
  }

  @Override
  public void close() {
    for (String id : new ArrayList<>(queries.keySet())) {
      stop(id);
    }
    transport.close();
    driverAllocator.close();
    root.close();
  }
}

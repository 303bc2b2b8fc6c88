package io.baton.taskmanager.task;

import io.baton.common.deployment.InputChannelDeployment;
import io.baton.common.deployment.InputGateDeployment;
import io.baton.common.deployment.ResultPartitionDeployment;
import io.baton.common.serialization.RecordSerializer;
import io.baton.taskmanager.network.BufferOrEvent;
import io.baton.taskmanager.network.InputGate;
import io.baton.taskmanager.network.NetworkEnvironment;
import io.baton.taskmanager.network.ResultPartition;
import io.grpc.BindableService;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A data plane inside one JVM, honouring the network contracts: a partition prefixes each record
 * with its varint length and queues a bounded number of buffers per subpartition (so a producer
 * without consumer blocks), and a gate hands out RECORDS buffers of such records.
 */
public final class InMemoryNetwork implements NetworkEnvironment {
  private final int bufferSize;
  private final int buffersPerSubpartition;
  private final Map<String, Subpartition> subpartitions = new ConcurrentHashMap<>();
  private final Map<String, InMemoryResultPartition> partitions = new ConcurrentHashMap<>();
  private final List<InMemoryInputGate> gates = new CopyOnWriteArrayList<>();

  public InMemoryNetwork() {
    this(256, 4);
  }

  public InMemoryNetwork(int bufferSize, int buffersPerSubpartition) {
    this.bufferSize = bufferSize;
    this.buffersPerSubpartition = buffersPerSubpartition;
  }

  @Override
  public InMemoryResultPartition createResultPartition(ResultPartitionDeployment descriptor) {
    InMemoryResultPartition partition =
        new InMemoryResultPartition(descriptor.partitionId(), descriptor.numberOfSubpartitions());
    if (partitions.putIfAbsent(partition.id(), partition) != null) {
      throw new IllegalStateException("partition " + partition.id() + " exists already");
    }
    return partition;
  }

  @Override
  public InMemoryInputGate createInputGate(
      InputGateDeployment descriptor, String consumerExecutionId) {
    List<Subpartition> channels = new ArrayList<>();
    for (InputChannelDeployment channel : descriptor.channels()) {
      channels.add(subpartition(channel.partitionId(), channel.subpartitionIndex()));
    }
    InMemoryInputGate gate = new InMemoryInputGate(channels);
    gates.add(gate);
    return gate;
  }

  @Override
  public BindableService dataExchangeService() {
    throw new UnsupportedOperationException("in-memory network serves no RPC");
  }

  @Override
  public void close() {}

  public InMemoryResultPartition partition(String id) {
    InMemoryResultPartition partition = partitions.get(id);
    if (partition == null) {
      throw new IllegalArgumentException("no partition " + id);
    }
    return partition;
  }

  public boolean hasPartition(String id) {
    return partitions.containsKey(id);
  }

  public List<InMemoryInputGate> gates() {
    return gates;
  }

  /**
   * Reads one subpartition to its END_OF_PARTITION, as a consumer would.
   *
   * @throws IOException when it does not end within {@code timeout}
   */
  public List<Object> readToEnd(
      String partitionId, int subpartition, RecordSerializer serializer, Duration timeout)
      throws IOException, InterruptedException {
    return read(partitionId, subpartition, serializer, Integer.MAX_VALUE, timeout);
  }

  /**
   * Reads {@code count} records of one subpartition (fewer if it ends first), as a consumer would;
   * records of the last buffer beyond {@code count} are kept for the next read.
   *
   * @throws IOException when they do not arrive within {@code timeout}
   */
  public List<Object> read(
      String partitionId,
      int subpartition,
      RecordSerializer serializer,
      int count,
      Duration timeout)
      throws IOException, InterruptedException {
    Subpartition source = subpartition(partitionId, subpartition);
    List<Object> records = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      while (!source.decoded.isEmpty() && records.size() < count) {
        records.add(source.decoded.remove(0));
      }
      if (records.size() >= count) {
        return records;
      }
      BufferOrEvent next = source.queue.poll(10, TimeUnit.MILLISECONDS);
      if (next instanceof BufferOrEvent.Records buffer) {
        source.decoded.addAll(decode(buffer.data(), serializer));
      } else if (next instanceof BufferOrEvent.EndOfPartition) {
        return records;
      } else if (System.nanoTime() > deadline) {
        throw new IOException(
            "subpartition "
                + subpartition
                + " of "
                + partitionId
                + " gave "
                + records.size()
                + " records in "
                + timeout);
      }
    }
  }

  /** Reads varint-length-prefixed records. */
  static List<Object> decode(ByteBuffer data, RecordSerializer serializer) throws IOException {
    List<Object> records = new ArrayList<>();
    ByteBuffer in = data.duplicate();
    while (in.hasRemaining()) {
      int length = InputGateReader.readVarint(in);
      byte[] record = new byte[length];
      in.get(record);
      records.add(
          serializer.deserialize(new DataInputStream(new java.io.ByteArrayInputStream(record))));
    }
    return records;
  }

  static void writeVarint(ByteArrayOutputStream out, int value) {
    while ((value & ~0x7f) != 0) {
      out.write((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out.write(value);
  }

  private Subpartition subpartition(String partitionId, int index) {
    return subpartitions.computeIfAbsent(
        partitionId + "/" + index, k -> new Subpartition(k, buffersPerSubpartition));
  }

  /** The queue between a producer's subpartition and the consumer's channel. */
  static final class Subpartition {
    private final String name;
    private final BlockingQueue<BufferOrEvent> queue;
    private final List<Semaphore> readers = new CopyOnWriteArrayList<>();
    // records a test read from the queue but has not asked for yet
    private final List<Object> decoded = new ArrayList<>();
    private volatile Throwable releasedBecause;

    Subpartition(String name, int capacity) {
      this.name = name;
      this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Queues {@code item}, adding the time spent waiting for room to {@code blocked}. */
    void put(BufferOrEvent item, AtomicLong blocked) throws InterruptedException {
      long since = System.nanoTime();
      while (!queue.offer(item, 5, TimeUnit.MILLISECONDS)) {
        long now = System.nanoTime();
        blocked.addAndGet(now - since);
        since = now;
        if (releasedBecause != null) {
          throw new IllegalStateException("subpartition " + name + " was released");
        }
      }
      readers.forEach(Semaphore::release);
    }

    BufferOrEvent poll() throws IOException {
      BufferOrEvent next = queue.poll();
      if (next == null && releasedBecause != null) {
        throw new IOException("subpartition " + name + " was released", releasedBecause);
      }
      return next;
    }

    void release(Throwable cause) {
      releasedBecause = cause;
      queue.clear();
      readers.forEach(Semaphore::release);
    }
  }

  /** One producer's output for one edge. */
  public final class InMemoryResultPartition implements ResultPartition {
    private final String id;
    private final Subpartition[] targets;
    private final ByteArrayOutputStream[] pending;
    private final int[] pendingRecords;
    private final AtomicLong recordsOut = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final AtomicLong backpressured = new AtomicLong();
    private volatile boolean finished;
    private volatile Throwable releasedBecause;

    InMemoryResultPartition(String id, int numberOfSubpartitions) {
      this.id = id;
      this.targets = new Subpartition[numberOfSubpartitions];
      this.pending = new ByteArrayOutputStream[numberOfSubpartitions];
      this.pendingRecords = new int[numberOfSubpartitions];
      for (int i = 0; i < numberOfSubpartitions; i++) {
        targets[i] = subpartition(id, i);
        pending[i] = new ByteArrayOutputStream();
      }
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public int numberOfSubpartitions() {
      return targets.length;
    }

    @Override
    public void emitRecord(byte[] record, int offset, int length, int subpartition)
        throws InterruptedException {
      checkWritable();
      writeVarint(pending[subpartition], length);
      pending[subpartition].write(record, offset, length);
      pendingRecords[subpartition]++;
      recordsOut.incrementAndGet();
      if (pending[subpartition].size() >= bufferSize) {
        send(subpartition);
      }
    }

    @Override
    public void broadcastBarrier(long checkpointId, long timestamp) throws InterruptedException {
      broadcastBarrier(checkpointId, timestamp, "");
    }

    @Override
    public void broadcastBarrier(long checkpointId, long timestamp, String checkpointDir)
        throws InterruptedException {
      flushAll();
      for (int i = 0; i < targets.length; i++) {
        put(i, new BufferOrEvent.Barrier(-1, checkpointId, timestamp, checkpointDir));
      }
    }

    @Override
    public void flushIfDue() throws InterruptedException {
      flushAll();
    }

    @Override
    public void flushAll() throws InterruptedException {
      for (int i = 0; i < targets.length; i++) {
        send(i);
      }
    }

    @Override
    public void finish() throws InterruptedException {
      flushAll();
      for (int i = 0; i < targets.length; i++) {
        put(i, new BufferOrEvent.EndOfPartition(-1));
      }
      finished = true;
    }

    @Override
    public void release(Throwable cause) {
      if (releasedBecause == null) {
        releasedBecause = cause;
        for (Subpartition target : targets) {
          target.release(cause);
        }
      }
    }

    @Override
    public long bytesOut() {
      return bytesOut.get();
    }

    @Override
    public long recordsOut() {
      return recordsOut.get();
    }

    @Override
    public long backpressuredNanos() {
      return backpressured.get();
    }

    public boolean isFinished() {
      return finished;
    }

    public Throwable releasedBecause() {
      return releasedBecause;
    }

    private void send(int subpartition) throws InterruptedException {
      if (pendingRecords[subpartition] == 0) {
        return;
      }
      byte[] bytes = pending[subpartition].toByteArray();
      int count = pendingRecords[subpartition];
      pending[subpartition].reset();
      pendingRecords[subpartition] = 0;
      bytesOut.addAndGet(bytes.length);
      put(subpartition, new BufferOrEvent.Records(-1, ByteBuffer.wrap(bytes), count));
    }

    private void put(int subpartition, BufferOrEvent item) throws InterruptedException {
      checkWritable();
      targets[subpartition].put(item, backpressured);
    }

    private void checkWritable() {
      if (releasedBecause != null) {
        throw new IllegalStateException("partition " + id + " was released", releasedBecause);
      }
      if (finished) {
        throw new IllegalStateException("partition " + id + " is finished");
      }
    }
  }

  /** A consumer's input for one edge, reading each channel's subpartition queue. */
  public static final class InMemoryInputGate implements InputGate {
    private final List<Subpartition> channels;
    private final boolean[] ended;
    private final boolean[] blocked;
    private final java.util.concurrent.atomic.AtomicBoolean wakeUpRequested =
        new java.util.concurrent.atomic.AtomicBoolean();
    private final Semaphore arrivals = new Semaphore(0);
    private final AtomicLong bytesIn = new AtomicLong();
    private volatile boolean requested;
    private volatile boolean closed;
    private int nextChannel;

    InMemoryInputGate(List<Subpartition> channels) {
      this.channels = channels;
      this.ended = new boolean[channels.size()];
      this.blocked = new boolean[channels.size()];
      channels.forEach(c -> c.readers.add(arrivals));
    }

    @Override
    public int numberOfChannels() {
      return channels.size();
    }

    @Override
    public void requestPartitions() {
      requested = true;
    }

    public boolean isRequested() {
      return requested;
    }

    public boolean isClosed() {
      return closed;
    }

    @Override
    public Optional<BufferOrEvent> pollNext(Duration timeout)
        throws IOException, InterruptedException {
      if (!requested) {
        throw new IllegalStateException("pollNext before requestPartitions");
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        if (closed) {
          throw new IOException("input gate closed");
        }
        for (int i = 0; i < channels.size(); i++) {
          int channel = (nextChannel + i) % channels.size();
          if (ended[channel] || blocked[channel]) {
            continue;
          }
          BufferOrEvent next = channels.get(channel).poll();
          if (next != null) {
            nextChannel = channel + 1;
            return Optional.of(onChannel(channel, next));
          }
        }
        long left = deadline - System.nanoTime();
        if (wakeUpRequested.getAndSet(false)
            || left <= 0
            || !arrivals.tryAcquire(left, TimeUnit.NANOSECONDS)) {
          return Optional.empty();
        }
      }
    }

    private BufferOrEvent onChannel(int channel, BufferOrEvent item) {
      if (item instanceof BufferOrEvent.Records r) {
        bytesIn.addAndGet(r.data().remaining());
        return new BufferOrEvent.Records(channel, r.data(), r.recordCount());
      }
      if (item instanceof BufferOrEvent.Barrier b) {
        return new BufferOrEvent.Barrier(
            channel, b.checkpointId(), b.timestamp(), b.checkpointDir());
      }
      ended[channel] = true;
      return new BufferOrEvent.EndOfPartition(channel);
    }

    @Override
    public void wakeUp() {
      wakeUpRequested.set(true);
      arrivals.release();
    }

    @Override
    public void blockChannel(int channel) {
      blocked[channel] = true;
    }

    @Override
    public void unblockAll() {
      java.util.Arrays.fill(blocked, false);
    }

    @Override
    public boolean isFinished() {
      for (boolean e : ended) {
        if (!e) {
          return false;
        }
      }
      return true;
    }

    @Override
    public long bytesIn() {
      return bytesIn.get();
    }

    @Override
    public void close() {
      closed = true;
      arrivals.release();
    }
  }
}

package io.baton.ha.zookeeper;

import io.baton.common.ids.JobId;
import io.baton.ha.CheckpointIdCounter;
import io.baton.ha.LeadershipLostException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.curator.framework.recipes.shared.SharedCount;
import org.apache.curator.framework.recipes.shared.SharedCountListener;
import org.apache.curator.framework.recipes.shared.SharedCountReader;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's next checkpoint id in {@code <cluster>/checkpoint-counter/<jobId>}, kept as a Curator
 * {@link SharedCount} (a 4-byte int). Reads come from the SharedCount, which follows the node with
 * a watch; writes are fenced transactions (latch check + versioned set), retried when another write
 * came first.
 *
 * <p>{@link #get} is exact for the writes of this instance; a write by another instance reaches it
 * when the SharedCount's watch fires (a leader uses one instance per job, so this matters only to a
 * deposed leader, whose writes fail anyway).
 *
 * <p>ZooKeeper requests: {@link #getAndIncrement} and {@link #setCount} 1 each (the transaction),
 * plus the SharedCount's own re-read (1, in the background) that the change triggers; {@link #get}
 * none.
 */
final class ZooKeeperCheckpointIdCounter implements CheckpointIdCounter {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperCheckpointIdCounter.class);
  private static final int MAX_ATTEMPTS = 10;

  private final JobId jobId;
  private final FencedZooKeeper zooKeeper;
  private final String path;
  private final Runnable onBackgroundRead;

  private SharedCount count;
  private boolean closed;
  // The last value this counter wrote; newer than the SharedCount's until its watch fires.
  private Versioned lastWritten;

  /**
   * @param onBackgroundRead called when the SharedCount re-read the node in the background, to
   *     count that request
   */
  ZooKeeperCheckpointIdCounter(
      JobId jobId, FencedZooKeeper zooKeeper, String path, Runnable onBackgroundRead) {
    this.jobId = jobId;
    this.zooKeeper = zooKeeper;
    this.path = path;
    this.onBackgroundRead = onBackgroundRead;
  }

  private record Versioned(int value, int version) {}

  @Override
  public synchronized void start() throws IOException {
    if (closed) {
      throw new LeadershipLostException(
          "Checkpoint id counter "
              + path
              + " belongs to a leadership that ended (latch node "
              + zooKeeper.latchNode()
              + ")");
    }
    if (count != null) {
      return;
    }
    // Created fenced here, so a deposed leader cannot bring back a released counter.
    zooKeeper.createIfAbsent(path, bytes(1));
    SharedCount shared = new SharedCount(zooKeeper.client(), path, 1);
    shared.addListener(
        new SharedCountListener() {
          @Override
          public void countHasChanged(SharedCountReader reader, int newCount) {
            onBackgroundRead.run();
          }

          @Override
          public void stateChanged(
              org.apache.curator.framework.CuratorFramework client, ConnectionState state) {}
        });
    try {
      shared.start();
    } catch (Exception e) {
      throw new IOException("Cannot read the checkpoint id counter " + path + ": " + e, e);
    }
    count = shared;
  }

  @Override
  public synchronized long getAndIncrement() throws IOException {
    start();
    for (int attempt = 1; ; attempt++) {
      Versioned current = current();
      if (current.value() == Integer.MAX_VALUE) {
        throw new IOException("Checkpoint id counter " + path + " is exhausted");
      }
      if (tryWrite(current, current.value() + 1, attempt)) {
        return current.value();
      }
    }
  }

  @Override
  public synchronized long get() throws IOException {
    start();
    return current().value();
  }

  @Override
  public synchronized void setCount(long nextId) throws IOException {
    start();
    if (nextId > Integer.MAX_VALUE) {
      throw new IOException(
          "Checkpoint id " + nextId + " does not fit the counter " + path + " (an int)");
    }
    for (int attempt = 1; ; attempt++) {
      Versioned current = current();
      if (nextId <= current.value()) {
        return;
      }
      if (tryWrite(current, (int) nextId, attempt)) {
        LOG.info("Job {}: checkpoint ids continue at {}", jobId, nextId);
        return;
      }
    }
  }

  /** Writes {@code next} if the node is still at {@code current}'s version. */
  private boolean tryWrite(Versioned current, int next, int attempt) throws IOException {
    try {
      int version = zooKeeper.compareAndSet(path, bytes(next), current.version());
      lastWritten = new Versioned(next, version);
      return true;
    } catch (KeeperException.BadVersionException e) {
      if (attempt >= MAX_ATTEMPTS) {
        throw new IOException(
            "Checkpoint id counter " + path + " kept changing under " + attempt + " attempts", e);
      }
      // Another writer came first and the SharedCount may not have seen it yet: read directly.
      Optional<FencedZooKeeper.Versioned> read = zooKeeper.readWithStat(path);
      if (read.isEmpty()) {
        throw new IOException("Checkpoint id counter " + path + " is gone", e);
      }
      lastWritten = new Versioned(fromBytes(read.get().data()), read.get().version());
      return false;
    }
  }

  /** The newer of what the SharedCount saw and what this counter wrote or read last. */
  private Versioned current() throws IOException {
    org.apache.curator.framework.recipes.shared.VersionedValue<Integer> shared;
    try {
      shared = count.getVersionedValue();
    } catch (RuntimeException e) {
      throw new IOException(
          "Checkpoint id counter " + path + " does not hold a 4-byte count: " + e, e);
    }
    Versioned seen = new Versioned(shared.getValue(), shared.getVersion());
    return lastWritten != null && lastWritten.version() > seen.version() ? lastWritten : seen;
  }

  /** Stops following the node; the counter cannot be used after. */
  synchronized void close() {
    closed = true;
    if (count != null) {
      try {
        count.close();
      } catch (IOException e) {
        LOG.warn("Could not close the checkpoint id counter {}", path, e);
      }
      count = null;
    }
  }

  private static byte[] bytes(int value) {
    return ByteBuffer.allocate(4).putInt(value).array();
  }

  private static int fromBytes(byte[] data) throws IOException {
    if (data.length != 4) {
      throw new IOException("Checkpoint id counter holds " + data.length + " bytes, not 4");
    }
    return ByteBuffer.wrap(data).getInt();
  }
}

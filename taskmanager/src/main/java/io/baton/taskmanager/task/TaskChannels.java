package io.baton.taskmanager.task;

import io.baton.taskmanager.network.InputGate;
import io.baton.taskmanager.network.ResultPartition;
import io.baton.taskmanager.operators.OperatorChain;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The output partitions and input gates of one task: flushing, barriers, finishing, releasing, and
 * the I/O metrics read from them.
 */
final class TaskChannels {
  /** How often partly filled output buffers are checked against the buffer timeout. */
  private static final long FLUSH_CHECK_NANOS = 1_000_000L;

  // written by the task's thread as they are created, read by cancel() to unblock the thread
  private final List<ResultPartition> partitions = new CopyOnWriteArrayList<>();
  private final List<InputGate> gates = new CopyOnWriteArrayList<>();

  private final TaskIoMetrics ioMetrics;
  private final LongSupplier nanoClock;
  private final SecondaryErrors errors;

  // task thread only
  private long lastFlushCheckNanos;

  TaskChannels(TaskIoMetrics ioMetrics, LongSupplier nanoClock, SecondaryErrors errors) {
    this.ioMetrics = ioMetrics;
    this.nanoClock = nanoClock;
    this.errors = errors;
  }

  void add(ResultPartition partition) {
    partitions.add(partition);
  }

  void add(InputGate gate) {
    gates.add(gate);
  }

  void flushIfDue(OperatorChain chain) throws InterruptedException {
    long now = nanoClock.getAsLong();
    if (now - lastFlushCheckNanos >= FLUSH_CHECK_NANOS) {
      lastFlushCheckNanos = now;
      for (ResultPartition partition : partitions) {
        partition.flushIfDue();
      }
      publishMetrics(chain);
    }
  }

  void flushAll() throws InterruptedException {
    for (ResultPartition partition : partitions) {
      partition.flushAll();
    }
  }

  void broadcastBarrier(long checkpointId, long timestamp, String checkpointDir)
      throws InterruptedException {
    for (ResultPartition partition : partitions) {
      partition.broadcastBarrier(checkpointId, timestamp, checkpointDir);
    }
  }

  /** Ends every output after the task's input ended (END_OF_PARTITION downstream). */
  void finishOutputs() throws InterruptedException {
    for (ResultPartition partition : partitions) {
      partition.finish();
    }
  }

  void publishMetrics(OperatorChain chain) {
    long recordsOut = chain.recordsWritten();
    long bytesOut = 0;
    long backpressured = 0;
    for (ResultPartition partition : partitions) {
      recordsOut += partition.recordsOut();
      bytesOut += partition.bytesOut();
      backpressured += partition.backpressuredNanos();
    }
    long bytesIn = 0;
    for (InputGate gate : gates) {
      bytesIn += gate.bytesIn();
    }
    ioMetrics.publish(chain.recordsIn(), recordsOut, bytesIn, bytesOut, backpressured);
  }

  /** Releases outputs and closes inputs; errors go to {@code failure} when given, else the log. */
  void releaseQuietly(Throwable cause, Throwable failure) {
    for (ResultPartition partition : partitions) {
      try {
        partition.release(cause);
      } catch (RuntimeException e) {
        errors.record(failure, "releasing partition " + partition.id(), e);
      }
    }
    closeGates(failure);
  }

  void closeGates(Throwable failure) {
    for (InputGate gate : gates) {
      try {
        gate.close();
      } catch (RuntimeException e) {
        errors.record(failure, "closing an input gate", e);
      }
    }
  }
}

package io.baton.taskmanager.task;

import io.baton.common.checkpoint.CheckpointAcknowledgement;
import io.baton.common.checkpoint.CheckpointDeclined;
import io.baton.common.checkpoint.EndOfData;
import io.baton.common.checkpoint.StateFileHandle;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import io.baton.storage.AtomicOutputStream;
import io.baton.storage.FileStore;
import io.baton.storage.FileStores;
import io.baton.taskmanager.operators.OperatorSnapshot;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a task's checkpoint cuts to storage on the TaskManager's I/O threads, so the task goes on
 * processing meanwhile, then acknowledges with one {@link StateFileHandle} per file (or declines
 * when a file cannot be written). One file per state: {@code
 * <vertexId>_<subtask>_<operatorIndex>_<kind>}.
 */
final class CheckpointWriter {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointWriter.class);
  static final String KEYED = "keyed";
  // large enough that the store and the checksum see few, big writes
  private static final int WRITE_BUFFER_BYTES = 256 * 1024;

  private final TaskIdentity task;
  private final FileStores stores;
  private final RecordSerializerFactory serializers;
  private final ClassLoader userClassLoader;
  private final Executor ioExecutor;
  private final CheckpointResponder responder;
  private final LongSupplier nanoClock;

  /** Who writes: names the files and the answers. */
  record TaskIdentity(
      JobId jobId,
      ExecutionId executionId,
      int vertexId,
      int subtaskIndex,
      int parallelism,
      String taskNameWithSubtask) {}

  CheckpointWriter(
      TaskIdentity task,
      FileStores stores,
      RecordSerializerFactory serializers,
      ClassLoader userClassLoader,
      Executor ioExecutor,
      CheckpointResponder responder,
      LongSupplier nanoClock) {
    this.task = task;
    this.stores = stores;
    this.serializers = serializers;
    this.userClassLoader = userClassLoader;
    this.ioExecutor = ioExecutor;
    this.responder = responder;
    this.nanoClock = nanoClock;
  }

  /** Writes the cut's files, then acknowledges; completes once the answer is sent. */
  CompletableFuture<Void> writeAsync(CheckpointCut cut) {
    try {
      return CompletableFuture.runAsync(() -> write(cut), ioExecutor)
          .exceptionally(
              e -> {
                decline(cut.checkpointId(), "writing its state failed: " + e);
                return null;
              });
    } catch (RejectedExecutionException shuttingDown) {
      decline(cut.checkpointId(), "the TaskManager's I/O threads are shutting down");
      return CompletableFuture.completedFuture(null);
    }
  }

  /** Tells the coordinator this task cannot take part in the checkpoint. */
  void decline(long checkpointId, String reason) {
    LOG.warn(
        "{} ({}) declines checkpoint {}: {}",
        task.taskNameWithSubtask(),
        task.executionId(),
        checkpointId,
        reason);
    responder.decline(
        new CheckpointDeclined(
            task.jobId(),
            task.executionId(),
            checkpointId,
            task.taskNameWithSubtask() + ": " + reason));
  }

  /**
   * Tells the coordinator the source emitted its last record and waits for its final checkpoint.
   */
  void endOfData() {
    responder.endOfData(new EndOfData(task.jobId(), task.executionId()));
  }

  private void write(CheckpointCut cut) {
    long start = nanoClock.getAsLong();
    List<StateFileHandle> handles = new ArrayList<>();
    try {
      if (cut.keyed() != null) {
        handles.add(
            writeFile(
                cut,
                0,
                KEYED,
                cut.keyedOperatorUid(),
                out -> writeKeyed(cut, out),
                cut.keyed().keyGroupRange().first(),
                cut.keyed().keyGroupRange().last()));
      }
      for (OperatorSnapshot operator : cut.operators()) {
        handles.add(
            writeFile(
                cut,
                operator.operatorIndex(),
                operator.kind(),
                operator.operatorUid(),
                out -> out.write(operator.state()),
                0,
                0));
      }
    } catch (IOException | RuntimeException e) {
      decline(cut.checkpointId(), "writing its state to " + cut.directory() + " failed: " + e);
      return;
    }
    long asyncMillis = (nanoClock.getAsLong() - start) / 1_000_000L;
    LOG.info(
        "{} ({}) wrote {} state file(s) of checkpoint {} to {} (sync {} ms, async {} ms,"
            + " alignment {} ms); acknowledging",
        task.taskNameWithSubtask(),
        task.executionId(),
        handles.size(),
        cut.checkpointId(),
        cut.directory(),
        cut.syncMillis(),
        asyncMillis,
        cut.alignmentMillis());
    responder.acknowledge(
        new CheckpointAcknowledgement(
            task.jobId(),
            task.executionId(),
            cut.checkpointId(),
            handles,
            Duration.ofMillis(cut.syncMillis()),
            Duration.ofMillis(asyncMillis),
            Duration.ofMillis(cut.alignmentMillis())));
  }

  /** Writes a file's body to a stream that checksums it on the way. */
  @FunctionalInterface
  private interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Streams the keyed snapshot to the file through one buffer: no copy of the whole file is built
   * in memory, and the serializer's many small writes do not reach the store one by one.
   */
  private void writeKeyed(CheckpointCut cut, OutputStream file) throws IOException {
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(file, WRITE_BUFFER_BYTES));
    cut.keyed().writeTo(out, serializers.create(userClassLoader));
    out.flush();
  }

  private StateFileHandle writeFile(
      CheckpointCut cut,
      int operatorIndex,
      String kind,
      String operatorUid,
      Body body,
      int keyGroupStart,
      int keyGroupEnd)
      throws IOException {
    URI path =
        resolve(
            cut.directory(),
            task.vertexId() + "_" + task.subtaskIndex() + "_" + operatorIndex + "_" + kind);
    FileStore store = stores.forUri(path);
    AtomicOutputStream out = store.create(path);
    ChecksummingOutputStream checksummed = new ChecksummingOutputStream(out);
    try {
      body.writeTo(checksummed);
      checksummed.flush();
    } catch (IOException | RuntimeException e) {
      out.abort();
      throw e;
    }
    out.close();
    boolean keyed = KEYED.equals(kind);
    return new StateFileHandle(
        path.toString(),
        checksummed.count(),
        checksummed.checksum(),
        keyed ? keyGroupStart : 0,
        keyed ? keyGroupEnd : 0,
        operatorIndex,
        kind,
        operatorUid,
        task.subtaskIndex(),
        task.parallelism());
  }

  /** {@code directory/name}, whether or not the directory ends with a slash. */
  static URI resolve(URI directory, String name) {
    String base = directory.toString();
    return URI.create(base.endsWith("/") ? base + name : base + "/" + name);
  }

  /** The CRC32C of some bytes, as StateFileHandle.checksum holds it. */
  static long crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return crc.getValue();
  }
}

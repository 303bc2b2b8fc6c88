package io.baton.taskmanager.task;

import io.baton.common.rpc.StateHandle;
import io.baton.storage.ConfinedDirectory;
import io.baton.storage.FileStores;
import io.baton.storage.OutsideStorageException;
import io.baton.taskmanager.operators.OperatorChain;
import io.baton.taskmanager.operators.RestoredOperatorState;
import io.baton.taskmanager.state.HeapKeyedStateBackend;
import io.baton.taskmanager.state.KeyedStateSnapshot;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a chain its state back from the handles of a SubmitTaskRequest, before the chain opens:
 * keyed files are read whole (checksum verified) and only this subtask's key groups kept; source
 * and sink states go to the operator with the same uid, rescaled when the parallelism changed.
 */
final class StateRestorer {
  private static final Logger LOG = LoggerFactory.getLogger(StateRestorer.class);
  private static final int READ_CHUNK_BYTES = 1024 * 1024;

  private final FileStores stores;
  private final RecordSerializerFactory serializers;
  private final ClassLoader userClassLoader;
  private final String taskNameWithSubtask;

  StateRestorer(
      FileStores stores,
      RecordSerializerFactory serializers,
      ClassLoader userClassLoader,
      String taskNameWithSubtask) {
    this.stores = stores;
    this.serializers = serializers;
    this.userClassLoader = userClassLoader;
    this.taskNameWithSubtask = taskNameWithSubtask;
  }

  /**
   * Restores {@code handles} of checkpoint {@code checkpointId} into {@code chain}.
   *
   * @param directory the checkpoint's directory: every handle must name a file inside it
   * @param parallelism this vertex's parallelism now
   * @throws OutsideStorageException when a handle names a file outside {@code directory} (none is
   *     read then)
   * @throws IOException when a file cannot be read, is corrupt (naming the file), or does not fit
   */
  void restore(
      long checkpointId,
      String directory,
      List<StateHandle> handles,
      OperatorChain chain,
      int parallelism)
      throws Exception {
    checkConfined(checkpointId, directory, handles);
    Map<String, List<StateHandle>> operatorHandles = new LinkedHashMap<>();
    int keyedFiles = 0;
    int keyGroups = 0;
    for (StateHandle handle : handles) {
      if (CheckpointWriter.KEYED.equals(handle.getKind())) {
        HeapKeyedStateBackend backend = keyedBackendFor(chain, handle);
        if (backend == null) {
          continue;
        }
        keyGroups += restoreKeyed(handle, backend);
        keyedFiles++;
      } else {
        operatorHandles
            .computeIfAbsent(
                handle.getKind() + "/" + handle.getOperatorUid(), k -> new ArrayList<>())
            .add(handle);
      }
    }
    for (List<StateHandle> group : operatorHandles.values()) {
      StateHandle first = group.get(0);
      RestoredOperatorState state;
      if (group.size() == 1 && first.getParallelism() == parallelism) {
        state = new RestoredOperatorState.Same(read(first));
      } else {
        List<StateHandle> ordered = new ArrayList<>(group);
        ordered.sort(Comparator.comparingInt(StateHandle::getSubtaskIndex));
        List<byte[]> states = new ArrayList<>();
        for (StateHandle handle : ordered) {
          states.add(read(handle));
        }
        state = new RestoredOperatorState.Rescaled(states);
      }
      if (!chain.restoreBeforeOpen(first.getKind(), first.getOperatorUid(), state)) {
        LOG.warn(
            "{}: checkpoint {} holds {} state of operator uid '{}', which this task does not run;"
                + " ignoring it",
            taskNameWithSubtask,
            checkpointId,
            first.getKind(),
            first.getOperatorUid());
      }
    }
    LOG.info(
        "{} restores checkpoint {}: {} key group(s) from {} keyed file(s), {} operator state(s)",
        taskNameWithSubtask,
        checkpointId,
        keyGroups,
        keyedFiles,
        operatorHandles.size());
  }

  private HeapKeyedStateBackend keyedBackendFor(OperatorChain chain, StateHandle handle) {
    if (chain.keyedState().isPresent()
        && chain.keyedOperatorUid().orElseThrow().equals(handle.getOperatorUid())) {
      return chain.keyedState().get();
    }
    LOG.warn(
        "{}: keyed state of operator uid '{}' in {} matches no keyed operator of this task;"
            + " ignoring it",
        taskNameWithSubtask,
        handle.getOperatorUid(),
        handle.getPath());
    return null;
  }

  int restoreKeyed(StateHandle handle, HeapKeyedStateBackend backend) throws IOException {
    byte[] bytes = read(handle);
    try {
      return KeyedStateSnapshot.restoreInto(
          new DataInputStream(new ByteArrayInputStream(bytes)),
          serializers.create(userClassLoader),
          backend);
    } catch (IOException | RuntimeException e) {
      throw new IOException(
          "cannot restore keyed state from " + handle.getPath() + ": " + e.getMessage(), e);
    }
  }

  /** Refuses the whole restore before reading anything when a handle lies outside. */
  private void checkConfined(long checkpointId, String directory, List<StateHandle> handles)
      throws OutsideStorageException {
    String source = taskNameWithSubtask + ": a state handle of checkpoint " + checkpointId;
    if (directory.isEmpty()) {
      throw new OutsideStorageException(
          source + " comes without its checkpoint directory: refused, not read");
    }
    ConfinedDirectory confinement =
        ConfinedDirectory.of(FileStores.toUri(directory), "its checkpoint directory");
    for (StateHandle handle : handles) {
      confinement.confine(handle.getPath(), source);
    }
  }

  /** The file's bytes, checked against the handle's size and CRC32C. */
  private byte[] read(StateHandle handle) throws IOException {
    URI path = FileStores.toUri(handle.getPath());
    byte[] bytes;
    try (InputStream in = stores.forUri(path).open(path)) {
      bytes = readExpected(in, handle.getSizeBytes());
    } catch (IOException e) {
      throw new IOException("cannot read state file " + handle.getPath() + ": " + e, e);
    }
    long checksum = CheckpointWriter.crc32c(bytes);
    if (bytes.length != handle.getSizeBytes() || checksum != handle.getChecksum()) {
      throw new IOException(
          "state file "
              + handle.getPath()
              + " is corrupt: "
              + bytes.length
              + " bytes with CRC32C "
              + Long.toHexString(checksum)
              + ", the checkpoint recorded "
              + handle.getSizeBytes()
              + " bytes with CRC32C "
              + Long.toHexString(handle.getChecksum()));
    }
    return bytes;
  }

  /**
   * Reads a file of the recorded size into one array, in large reads, without the growing buffers
   * of {@link InputStream#readAllBytes}; a file of another size comes back with its real length, so
   * the size check names it.
   */
  private static byte[] readExpected(InputStream in, long expectedSize) throws IOException {
    if (expectedSize < 0 || expectedSize > Integer.MAX_VALUE - 8) {
      return in.readAllBytes();
    }
    byte[] bytes = new byte[(int) expectedSize];
    int filled = 0;
    while (filled < bytes.length) {
      // bounded reads: a channel stream would otherwise stage the whole file in a direct buffer
      int n = in.read(bytes, filled, Math.min(READ_CHUNK_BYTES, bytes.length - filled));
      if (n < 0) {
        return Arrays.copyOf(bytes, filled);
      }
      filled += n;
    }
    byte[] rest = in.readAllBytes();
    if (rest.length == 0) {
      return bytes;
    }
    byte[] longer = Arrays.copyOf(bytes, bytes.length + rest.length);
    System.arraycopy(rest, 0, longer, bytes.length, rest.length);
    return longer;
  }
}

package io.baton.taskmanager.task;

import io.baton.common.checkpoint.StateFileHandle;
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
 * Gives a chain its state back from the state files of its deployment, before the chain opens:
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
      List<StateFileHandle> handles,
      OperatorChain chain,
      int parallelism)
      throws Exception {
    checkConfined(checkpointId, directory, handles);
    Map<String, List<StateFileHandle>> operatorHandles = new LinkedHashMap<>();
    int keyedFiles = 0;
    int keyGroups = 0;
    for (StateFileHandle handle : handles) {
      if (CheckpointWriter.KEYED.equals(handle.kind())) {
        HeapKeyedStateBackend backend = keyedBackendFor(chain, handle);
        if (backend == null) {
          continue;
        }
        keyGroups += restoreKeyed(handle, backend);
        keyedFiles++;
      } else {
        operatorHandles
            .computeIfAbsent(handle.kind() + "/" + handle.operatorUid(), k -> new ArrayList<>())
            .add(handle);
      }
    }
    for (List<StateFileHandle> group : operatorHandles.values()) {
      StateFileHandle first = group.get(0);
      RestoredOperatorState state;
      if (group.size() == 1 && first.parallelism() == parallelism) {
        state = new RestoredOperatorState.Same(read(first));
      } else {
        List<StateFileHandle> ordered = new ArrayList<>(group);
        ordered.sort(Comparator.comparingInt(StateFileHandle::subtaskIndex));
        List<byte[]> states = new ArrayList<>();
        for (StateFileHandle handle : ordered) {
          states.add(read(handle));
        }
        state = new RestoredOperatorState.Rescaled(states);
      }
      if (!chain.restoreBeforeOpen(first.kind(), first.operatorUid(), state)) {
        LOG.warn(
            "{}: checkpoint {} holds {} state of operator uid '{}', which this task does not run;"
                + " ignoring it",
            taskNameWithSubtask,
            checkpointId,
            first.kind(),
            first.operatorUid());
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

  private HeapKeyedStateBackend keyedBackendFor(OperatorChain chain, StateFileHandle handle) {
    if (chain.keyedState().isPresent()
        && chain.keyedOperatorUid().orElseThrow().equals(handle.operatorUid())) {
      return chain.keyedState().get();
    }
    LOG.warn(
        "{}: keyed state of operator uid '{}' in {} matches no keyed operator of this task;"
            + " ignoring it",
        taskNameWithSubtask,
        handle.operatorUid(),
        handle.path());
    return null;
  }

  int restoreKeyed(StateFileHandle handle, HeapKeyedStateBackend backend) throws IOException {
    byte[] bytes = read(handle);
    try {
      return KeyedStateSnapshot.restoreInto(
          new DataInputStream(new ByteArrayInputStream(bytes)),
          serializers.create(userClassLoader),
          backend);
    } catch (IOException | RuntimeException e) {
      throw new IOException(
          "cannot restore keyed state from " + handle.path() + ": " + e.getMessage(), e);
    }
  }

  /** Refuses the whole restore before reading anything when a handle lies outside. */
  private void checkConfined(long checkpointId, String directory, List<StateFileHandle> handles)
      throws OutsideStorageException {
    String source = taskNameWithSubtask + ": a state handle of checkpoint " + checkpointId;
    if (directory.isEmpty()) {
      throw new OutsideStorageException(
          source + " comes without its checkpoint directory: refused, not read");
    }
    ConfinedDirectory confinement =
        ConfinedDirectory.of(FileStores.toUri(directory), "its checkpoint directory");
    for (StateFileHandle handle : handles) {
      confinement.confine(handle.path(), source);
    }
  }

  /** The file's bytes, checked against the handle's size and CRC32C. */
  private byte[] read(StateFileHandle handle) throws IOException {
    URI path = FileStores.toUri(handle.path());
    byte[] bytes;
    try (InputStream in = stores.forUri(path).open(path)) {
      bytes = readExpected(in, handle.sizeBytes());
    } catch (IOException e) {
      throw new IOException("cannot read state file " + handle.path() + ": " + e, e);
    }
    long checksum = CheckpointWriter.crc32c(bytes);
    if (bytes.length != handle.sizeBytes() || checksum != handle.checksum()) {
      throw new IOException(
          "state file "
              + handle.path()
              + " is corrupt: "
              + bytes.length
              + " bytes with CRC32C "
              + Long.toHexString(checksum)
              + ", the checkpoint recorded "
              + handle.sizeBytes()
              + " bytes with CRC32C "
              + Long.toHexString(handle.checksum()));
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

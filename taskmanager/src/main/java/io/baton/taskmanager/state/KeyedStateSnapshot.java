package io.baton.taskmanager.state;

import io.baton.common.serialization.RecordSerializer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A copy of a keyed operator's state cut at a checkpoint, and its file format: a header naming the
 * states, then one block per key group holding every state's entries of that group, so a restoring
 * subtask can keep exactly the key groups it owns.
 *
 * <pre>
 * int magic, int version, int maxParallelism, int firstKeyGroup, int lastKeyGroup
 * int stateCount; per state: UTF name, UTF kind
 * int keyGroupCount; per key group: int keyGroup; per state: int n; n x (key, value)
 * </pre>
 *
 * Keys and values go through one {@link RecordSerializer} per file, in file order.
 *
 * @param operatorName for error messages
 * @param maxParallelism the number of key groups of the operator
 * @param keyGroupRange the key groups the writing subtask owned
 * @param states one copy per named state
 */
public record KeyedStateSnapshot(
    String operatorName, int maxParallelism, KeyGroupRange keyGroupRange, List<StateCopy> states) {

  private static final int MAGIC = 0x42544b53; // "BTKS"
  private static final int VERSION = 1;

  /**
   * One named state's entries per key group (only groups that hold something).
   *
   * @param byKeyGroup key group to (key to value)
   */
  public record StateCopy(
      String name, StateKind kind, Map<Integer, Map<Object, Object>> byKeyGroup) {}

  /** Writes the snapshot; may run on any thread, since it holds only copies. */
  public void writeTo(DataOutputStream out, RecordSerializer serializer) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeInt(maxParallelism);
    out.writeInt(keyGroupRange.first());
    out.writeInt(keyGroupRange.last());
    out.writeInt(states.size());
    for (StateCopy state : states) {
      out.writeUTF(state.name());
      out.writeUTF(state.kind().name());
    }
    out.writeInt(keyGroupRange.size());
    for (int keyGroup = keyGroupRange.first(); keyGroup <= keyGroupRange.last(); keyGroup++) {
      out.writeInt(keyGroup);
      for (StateCopy state : states) {
        Map<Object, Object> entries = state.byKeyGroup().getOrDefault(keyGroup, Map.of());
        out.writeInt(entries.size());
        for (Map.Entry<Object, Object> entry : entries.entrySet()) {
          serializer.serialize(entry.getKey(), out);
          serializer.serialize(entry.getValue(), out);
        }
      }
    }
  }

  /**
   * Reads a snapshot file into {@code target}, keeping only the key groups {@code target} owns.
   *
   * @return the number of key groups restored
   * @throws IOException when the bytes are not such a snapshot or do not fit the operator
   */
  public static int restoreInto(
      DataInputStream in, RecordSerializer serializer, HeapKeyedStateBackend target)
      throws IOException {
    if (in.readInt() != MAGIC) {
      throw new IOException("not a keyed state snapshot");
    }
    int version = in.readInt();
    if (version != VERSION) {
      throw new IOException("keyed state snapshot version " + version + " is not supported");
    }
    int maxParallelism = in.readInt();
    if (maxParallelism != target.maxParallelism()) {
      throw new IOException(
          "written with max parallelism "
              + maxParallelism
              + " but the operator now has "
              + target.maxParallelism()
              + "; the max parallelism cannot change across a restore");
    }
    in.readInt(); // first and last key group of the writer: the blocks say it again
    in.readInt();
    int stateCount = in.readInt();
    String[] names = new String[stateCount];
    StateKind[] kinds = new StateKind[stateCount];
    for (int i = 0; i < stateCount; i++) {
      names[i] = in.readUTF();
      try {
        kinds[i] = StateKind.valueOf(in.readUTF());
      } catch (IllegalArgumentException e) {
        throw new IOException("unknown state kind of state '" + names[i] + "'", e);
      }
    }
    int keyGroups = in.readInt();
    int restored = 0;
    KeyGroupRange own = target.keyGroupRange();
    for (int g = 0; g < keyGroups; g++) {
      int keyGroup = in.readInt();
      boolean keep = own.contains(keyGroup);
      if (keep) {
        restored++;
      }
      for (int s = 0; s < stateCount; s++) {
        int entries = in.readInt();
        for (int e = 0; e < entries; e++) {
          // the serializer keeps per-stream state: every entry is read, also those not kept
          Object key = serializer.deserialize(in);
          Object value = serializer.deserialize(in);
          if (keep) {
            target.restoreEntry(names[s], kinds[s], keyGroup, key, value);
          }
        }
      }
    }
    return restored;
  }
}

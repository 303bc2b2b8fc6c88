package io.baton.common.state;

/**
 * Maps keys to key groups and key groups to subtasks. The network's hash partitioner and the keyed
 * state backend both use it, so a record always reaches the subtask that holds its key's state, and
 * state can be redistributed by key group when a job is restored with another parallelism.
 */
public final class KeyGroups {
  private KeyGroups() {}

  /** The key group (0 .. maxParallelism-1) of a key. */
  public static int keyGroupFor(Object key, int maxParallelism) {
    return Math.floorMod(murmurFinalize(key.hashCode()), maxParallelism);
  }

  /** The subtask (0 .. parallelism-1) that owns a key group. */
  public static int subtaskForKeyGroup(int keyGroup, int maxParallelism, int parallelism) {
    return keyGroup * parallelism / maxParallelism;
  }

  /** The subtask that owns a key. */
  public static int subtaskForKey(Object key, int maxParallelism, int parallelism) {
    return subtaskForKeyGroup(keyGroupFor(key, maxParallelism), maxParallelism, parallelism);
  }

  /** First key group (inclusive) owned by a subtask. */
  public static int firstKeyGroup(int subtask, int maxParallelism, int parallelism) {
    return (subtask * maxParallelism + parallelism - 1) / parallelism;
  }

  /** Last key group (inclusive) owned by a subtask. */
  public static int lastKeyGroup(int subtask, int maxParallelism, int parallelism) {
    return firstKeyGroup(subtask + 1, maxParallelism, parallelism) - 1;
  }

  // spreads poor hashCodes (small integers) evenly over key groups
  private static int murmurFinalize(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}

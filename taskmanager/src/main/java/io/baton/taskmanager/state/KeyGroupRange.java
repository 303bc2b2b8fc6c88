package io.baton.taskmanager.state;

import io.baton.common.state.KeyGroups;

/**
 * The key groups one subtask of a keyed operator owns: {@code first..last}, both inclusive.
 *
 * @param first the first key group owned
 * @param last the last key group owned; {@code last < first} when the subtask owns none
 */
public record KeyGroupRange(int first, int last) {

  /** The range {@link KeyGroups} assigns to {@code subtaskIndex} of {@code parallelism}. */
  public static KeyGroupRange forSubtask(int subtaskIndex, int parallelism, int maxParallelism) {
    if (parallelism < 1 || maxParallelism < parallelism) {
      throw new IllegalArgumentException(
          "cannot split "
              + maxParallelism
              + " key groups over "
              + parallelism
              + " subtasks: max parallelism must be at least the parallelism");
    }
    if (subtaskIndex < 0 || subtaskIndex >= parallelism) {
      throw new IllegalArgumentException(
          "subtask index " + subtaskIndex + " outside 0.." + (parallelism - 1));
    }
    return new KeyGroupRange(
        KeyGroups.firstKeyGroup(subtaskIndex, maxParallelism, parallelism),
        KeyGroups.lastKeyGroup(subtaskIndex, maxParallelism, parallelism));
  }

  public boolean contains(int keyGroup) {
    return keyGroup >= first && keyGroup <= last;
  }

  public int size() {
    return Math.max(0, last - first + 1);
  }

  @Override
  public String toString() {
    return "[" + first + ", " + last + "]";
  }
}

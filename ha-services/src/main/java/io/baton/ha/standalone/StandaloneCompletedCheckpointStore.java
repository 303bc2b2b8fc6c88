package io.baton.ha.standalone;

import io.baton.ha.CheckpointPointer;
import io.baton.ha.CompletedCheckpointStore;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** A job's completed checkpoints in memory, ordered by id. */
final class StandaloneCompletedCheckpointStore implements CompletedCheckpointStore {
  private final TreeMap<Long, CheckpointPointer> checkpoints = new TreeMap<>();

  @Override
  public synchronized void add(CheckpointPointer checkpoint) {
    checkpoints.put(checkpoint.checkpointId(), checkpoint);
  }

  @Override
  public synchronized Optional<CheckpointPointer> latest() {
    return checkpoints.isEmpty()
        ? Optional.empty()
        : Optional.of(checkpoints.lastEntry().getValue());
  }

  @Override
  public synchronized List<CheckpointPointer> all() {
    return List.copyOf(checkpoints.values());
  }

  @Override
  public synchronized boolean remove(long checkpointId) {
    return checkpoints.remove(checkpointId) != null;
  }
}

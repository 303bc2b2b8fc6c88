package io.baton.coordinator.checkpoint;

import io.baton.common.ids.JobId;
import io.baton.ha.CheckpointIdCounter;
import io.baton.ha.CompletedCheckpointStore;
import io.baton.ha.LeaderStores;

/**
 * The high-availability stores checkpointing writes: per job its completed checkpoints and its
 * checkpoint id counter. The job's other stores (its graph, jar and result) are no business of
 * checkpointing.
 */
public interface CheckpointStores {

  /** The completed checkpoints of {@code jobId}; the same store on every call for that job. */
  CompletedCheckpointStore completedCheckpointStore(JobId jobId);

  /** The checkpoint id counter of {@code jobId}; the same counter on every call for that job. */
  CheckpointIdCounter checkpointIdCounter(JobId jobId);

  /** The checkpoint stores of a leader session's stores. */
  static CheckpointStores of(LeaderStores stores) {
    return new CheckpointStores() {
      @Override
      public CompletedCheckpointStore completedCheckpointStore(JobId jobId) {
        return stores.completedCheckpointStore(jobId);
      }

      @Override
      public CheckpointIdCounter checkpointIdCounter(JobId jobId) {
        return stores.checkpointIdCounter(jobId);
      }
    };
  }
}

package io.baton.coordinator.checkpoint;

/**
 * What the checkpoint coordinator needs of the job it checkpoints: whether it runs, and whom to
 * tell when checkpointing fails the job or finds that this JobManager no longer leads. Implemented
 * by the job's scheduler; called on the job master's main thread only.
 */
public interface CheckpointedJob {

  /** Whether the job is RUNNING: checkpoints are only triggered then. */
  boolean isRunning();

  /** Too many checkpoints failed in a row: the job fails over with {@code cause}. */
  void handleGlobalFailure(String cause);

  /**
   * A store write was refused because another JobManager leads now: the job is suspended, not
   * failed, and nothing more is written.
   */
  void leadershipLost(String reason);
}

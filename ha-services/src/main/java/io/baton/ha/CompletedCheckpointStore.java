package io.baton.ha;

import java.util.List;
import java.util.Optional;

/**
 * The completed checkpoints of one job, in the order of their ids. Only published checkpoints are
 * in it: a checkpoint is added after its {@code _metadata} was written, and removed before its
 * files are deleted, so a restore never follows a pointer to a deleted checkpoint. Retention is the
 * caller's: this store keeps what it is given until told to remove it.
 */
public interface CompletedCheckpointStore {

  /** Publishes a completed checkpoint; a pointer with the same id is replaced. */
  void add(CheckpointPointer checkpoint);

  /** The completed checkpoint with the highest id. */
  Optional<CheckpointPointer> latest();

  /** Every completed checkpoint, lowest id first. */
  List<CheckpointPointer> all();

  /**
   * Withdraws a checkpoint.
   *
   * @return whether it was there
   */
  boolean remove(long checkpointId);
}

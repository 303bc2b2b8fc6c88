package io.baton.ha;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The completed checkpoints of one job, in the order of their ids. Only published checkpoints are
 * in it: a checkpoint is added after its {@code _metadata} was written, and removed before its
 * files are deleted, so a restore never follows a pointer to a deleted checkpoint. Retention is the
 * caller's: this store keeps what it is given until told to remove it. In ZooKeeper mode writes
 * fail with {@link LeadershipLostException} once the writer no longer leads, and reads fail with an
 * {@link IOException} naming the pointer when one cannot be read.
 */
public interface CompletedCheckpointStore {

  /** Publishes a completed checkpoint; a pointer with the same id is replaced. */
  void add(CheckpointPointer checkpoint) throws IOException;

  /** The completed checkpoint with the highest id. */
  Optional<CheckpointPointer> latest() throws IOException;

  /** Every completed checkpoint, lowest id first. */
  List<CheckpointPointer> all() throws IOException;

  /**
   * Every completed checkpoint, lowest id first, those whose pointer cannot be read included (with
   * the reason) rather than failing the whole listing.
   *
   * @throws IOException when the store itself cannot be listed
   */
  default List<StoredCheckpoint> listing() throws IOException {
    return all().stream().map(p -> StoredCheckpoint.readable(p, p.directory())).toList();
  }

  /**
   * Withdraws a checkpoint.
   *
   * @return whether it was there
   */
  boolean remove(long checkpointId) throws IOException;
}

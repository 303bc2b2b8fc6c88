package io.baton.ha.zookeeper;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.common.ids.JobId;
import io.baton.ha.CheckpointPointer;
import io.baton.ha.CompletedCheckpointStore;
import io.baton.ha.StoredCheckpoint;
import io.baton.storage.OutsideStorageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job's completed checkpoints under {@code <cluster>/checkpoints/<jobId>/<checkpointId>}, the
 * id zero-padded to 19 digits so that the children sort by id; each points to a JSON file holding
 * the {@link CheckpointPointer}.
 *
 * <p>ZooKeeper requests: {@link #add} 1 (a fenced create; 1 more the first time this instance
 * writes, to make sure the job's parent exists); {@link #remove} 2 (a read of the pointer, to learn
 * which file to delete, and a fenced delete); {@link #latest} 2 (listing, read); {@link #all} and
 * {@link #listing} 1 listing plus 1 read per checkpoint.
 */
final class ZooKeeperCompletedCheckpointStore implements CompletedCheckpointStore {
  private static final Logger LOG =
      LoggerFactory.getLogger(ZooKeeperCompletedCheckpointStore.class);

  private final JobId jobId;
  private final FilePointerStore store;
  private final ObjectMapper json;

  ZooKeeperCompletedCheckpointStore(JobId jobId, FilePointerStore store, ObjectMapper json) {
    this.jobId = jobId;
    this.store = store;
    this.json = json;
  }

  static String nodeName(long checkpointId) {
    return String.format("%019d", checkpointId);
  }

  @Override
  public void add(CheckpointPointer checkpoint) throws IOException {
    if (checkpoint.checkpointId() < 0) {
      throw new IllegalArgumentException("negative checkpoint id " + checkpoint.checkpointId());
    }
    String name = nodeName(checkpoint.checkpointId());
    store.put(name, out -> json.writeValue(out, checkpoint));
    LOG.info(
        "Job {}: completed checkpoint {} published at {}",
        jobId,
        checkpoint.checkpointId(),
        store.pathOf(name));
  }

  /**
   * The newest checkpoint; a pointer naming a file outside the HA storage directory is refused
   * ({@link OutsideStorageException}), as with every read of one pointer.
   */
  @Override
  public Optional<CheckpointPointer> latest() throws IOException {
    List<String> names = validNames();
    if (names.isEmpty()) {
      return Optional.empty();
    }
    return read(names.get(names.size() - 1));
  }

  /**
   * Every checkpoint, lowest id first; a pointer naming a file outside the HA storage directory is
   * logged with its znode and passed over, so the job's real checkpoints stay usable.
   */
  @Override
  public List<CheckpointPointer> all() throws IOException {
    List<CheckpointPointer> checkpoints = new ArrayList<>();
    for (String name : validNames()) {
      try {
        read(name).ifPresent(checkpoints::add);
      } catch (OutsideStorageException e) {
        LOG.warn("Job {}: passing over a checkpoint pointer: {}", jobId, e.getMessage());
      }
    }
    return checkpoints;
  }

  @Override
  public List<StoredCheckpoint> listing() throws IOException {
    List<StoredCheckpoint> checkpoints = new ArrayList<>();
    for (String name : validNames()) {
      String path = store.pathOf(name);
      try {
        read(name).ifPresent(p -> checkpoints.add(StoredCheckpoint.readable(p, path)));
      } catch (IOException e) {
        // garbled or dangling: the checkpoint completed once, so it is listed as damaged
        checkpoints.add(StoredCheckpoint.unreadable(Long.parseLong(name), path, e.getMessage()));
      }
    }
    return checkpoints;
  }

  @Override
  public boolean remove(long checkpointId) throws IOException {
    boolean removed = store.remove(nodeName(checkpointId));
    if (removed) {
      LOG.info("Job {}: checkpoint {} withdrawn", jobId, checkpointId);
    }
    return removed;
  }

  private Optional<CheckpointPointer> read(String name) throws IOException {
    return store.get(name, in -> json.readValue(in, CheckpointPointer.class));
  }

  /** Children that are checkpoint ids, lowest first; others are logged and skipped. */
  private List<String> validNames() throws IOException {
    List<String> names = new ArrayList<>();
    for (String name : store.names()) {
      if (name.length() == 19 && name.chars().allMatch(Character::isDigit)) {
        names.add(name);
      } else {
        LOG.warn("Job {}: skipping {}: not a checkpoint id", jobId, store.pathOf(name));
      }
    }
    return names;
  }
}

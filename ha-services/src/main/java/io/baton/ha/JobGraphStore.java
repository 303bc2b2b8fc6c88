package io.baton.ha;

import io.baton.common.ids.JobId;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * The submitted jobs a leader must keep running: added on submission, removed once the job reached
 * a terminal state and its result is in the {@link JobResultStore}. The content is opaque to the
 * store (the JobManager's serialized submission). Writes fail with {@link LeadershipLostException}
 * once the writer no longer leads.
 */
public interface JobGraphStore {

  /** Adds or replaces a job's entry; the file is written before its pointer (rule 1). */
  void put(JobId jobId, byte[] serializedJob) throws IOException;

  /**
   * A job's entry; empty when there is no pointer.
   *
   * @throws IOException naming the pointer's path when its file is gone or unreadable
   */
  Optional<byte[]> get(JobId jobId) throws IOException;

  /**
   * The ids of all stored jobs. Children that are not job ids are logged with their path and
   * skipped.
   */
  Set<JobId> jobIds() throws IOException;

  /** Removes a job's entry, pointer first, file second; nothing to remove is fine. */
  void remove(JobId jobId) throws IOException;
}

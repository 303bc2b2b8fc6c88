package io.baton.taskmanager.executor;

import io.baton.common.ids.JobId;
import java.io.IOException;
import java.nio.file.Path;

/** Fetches a job jar from the JobManager into a local file; blocks the calling thread. */
@FunctionalInterface
public interface BlobDownloader {

  /**
   * Writes the blob's bytes to {@code target}, replacing a partial file; the file appears only when
   * complete.
   */
  void download(JobId jobId, String blobKey, Path target) throws IOException;
}

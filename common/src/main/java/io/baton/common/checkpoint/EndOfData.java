package io.baton.common.checkpoint;

import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import java.util.Objects;

/**
 * A source task emitted its last record and waits for the checkpoint that covers it: its final
 * checkpoint, which commits the job's last output. The checkpoint coordinator takes it at once when
 * every source of the job has ended, instead of at the next interval.
 */
public record EndOfData(JobId jobId, ExecutionId executionId) {

  public EndOfData {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(executionId, "executionId");
  }
}

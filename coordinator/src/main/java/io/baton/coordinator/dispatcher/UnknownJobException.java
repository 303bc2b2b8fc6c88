package io.baton.coordinator.dispatcher;

import io.baton.common.ids.JobId;

/** No job with this id is known (running or archived). */
public class UnknownJobException extends RuntimeException {
  public UnknownJobException(JobId jobId) {
    super("job " + jobId + " not found");
  }
}

package io.baton.common.execution;

import io.baton.common.ids.ExecutionId;
import java.util.Objects;

/**
 * A running task's input and output since it started, as its TaskManager reports it with each
 * heartbeat and once more, final, with the task's last state update.
 *
 * @param backpressure the fraction of the last second the task waited for output buffers (0..1)
 */
public record TaskIoCounters(
    ExecutionId executionId,
    long recordsIn,
    long recordsOut,
    long bytesIn,
    long bytesOut,
    double backpressure) {

  public TaskIoCounters {
    Objects.requireNonNull(executionId, "executionId");
    if (recordsIn < 0 || recordsOut < 0 || bytesIn < 0 || bytesOut < 0) {
      throw new IllegalArgumentException(
          "negative I/O counters for execution "
              + executionId
              + ": "
              + counters(recordsIn, recordsOut, bytesIn, bytesOut));
    }
    if (!(backpressure >= 0 && backpressure <= 1)) {
      throw new IllegalArgumentException(
          "backpressure of execution " + executionId + " is " + backpressure + ", not in 0..1");
    }
  }

  private static String counters(long recordsIn, long recordsOut, long bytesIn, long bytesOut) {
    return "records in/out "
        + recordsIn
        + "/"
        + recordsOut
        + ", bytes in/out "
        + bytesIn
        + "/"
        + bytesOut;
  }
}

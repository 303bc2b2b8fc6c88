package io.baton.coordinator.executiongraph;

import io.baton.common.execution.TaskIoCounters;

/**
 * The records and bytes of one attempt's executions summed, kept as each execution reports anew:
 * the job's series read them without a pass over every execution per heartbeat. Used on the job
 * master's thread only.
 */
public final class AttemptIoTotals {
  private long recordsIn;
  private long recordsOut;
  private long bytesIn;
  private long bytesOut;

  /** One execution's figures went from {@code before} to {@code after}. */
  void replace(TaskIoCounters before, TaskIoCounters after) {
    recordsIn += after.recordsIn() - before.recordsIn();
    recordsOut += after.recordsOut() - before.recordsOut();
    bytesIn += after.bytesIn() - before.bytesIn();
    bytesOut += after.bytesOut() - before.bytesOut();
  }

  public long recordsIn() {
    return recordsIn;
  }

  public long recordsOut() {
    return recordsOut;
  }

  public long bytesIn() {
    return bytesIn;
  }

  public long bytesOut() {
    return bytesOut;
  }
}

package io.baton.common.cluster;

import io.baton.common.execution.TaskIoCounters;
import io.baton.common.ids.TaskManagerId;
import java.util.List;
import java.util.Objects;

/**
 * What a TaskManager tells the JobManager every {@code heartbeat.interval}: its slots, the I/O of
 * its running tasks and its heap.
 */
public record HeartbeatReport(
    TaskManagerId taskManagerId,
    String registrationId,
    List<SlotReport> slots,
    List<TaskIoCounters> taskMetrics,
    long heapUsedBytes,
    long heapMaxBytes) {

  public HeartbeatReport {
    Objects.requireNonNull(taskManagerId, "taskManagerId");
    registrationId = registrationId == null ? "" : registrationId;
    slots = List.copyOf(slots);
    taskMetrics = List.copyOf(taskMetrics);
  }
}

package io.baton.coordinator.resourcemanager;

import io.baton.common.execution.TaskIoCounters;
import io.baton.common.ids.TaskManagerId;
import java.util.List;

/**
 * A job holding slots, told what happens to the TaskManagers they live on. Called on the resource
 * manager's thread: implementations hand the news to their own thread and return at once.
 */
public interface SlotOwner {

  /** The TaskManager is gone, and with it the job's slots and tasks there. */
  void taskManagerLost(TaskManagerId taskManagerId, Exception cause);

  /**
   * A heartbeat from a TaskManager with slots of this job; metrics of other jobs may be mixed in.
   */
  void taskMetricsReported(TaskManagerId taskManagerId, List<TaskIoCounters> metrics);
}

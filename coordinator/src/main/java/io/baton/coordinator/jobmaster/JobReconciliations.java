package io.baton.coordinator.jobmaster;

import io.baton.coordinator.status.JobEvent;
import io.baton.ha.DeploymentRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * A job's adoptions by new leaders: how many there were (the count travels from leader to leader in
 * the job's deployment record), and what this leader's reconciliation of the job decided, as the
 * job's event history shows it: "adopted N tasks from leader X", or why its tasks restarted
 * instead. Main thread of the job master.
 */
final class JobReconciliations {
  // a job recovers once per leader: a handful of events per leader is plenty
  private static final int MAX_EVENTS = 16;

  private final List<JobEvent> events = new ArrayList<>();
  private int count;

  /** How many times a new leader adopted the job's running tasks, as far as this leader knows. */
  int count() {
    return count;
  }

  /** Oldest first. */
  List<JobEvent> events() {
    return List.copyOf(events);
  }

  /** The job's deployment record was read: it carries the count of earlier adoptions. */
  void recordRead(DeploymentRecord record) {
    count = Math.max(count, record.reconciliations());
  }

  /**
   * This leader adopted the tasks of {@code record}.
   *
   * @return the history line
   */
  String adopted(DeploymentRecord record, long now) {
    count++;
    String line =
        "adopted " + record.executions().size() + " tasks from " + record.describeLeader();
    add(new JobEvent(now, JobEvent.ADOPTED, line));
    return line;
  }

  /**
   * This leader did not adopt the job's tasks because of {@code reason} and restarts them.
   *
   * @param from what the job restarts from, e.g. {@code checkpoint 12}
   * @return the history line
   */
  String restarted(String reason, String from, long now) {
    String line = "reconciliation: " + reason + "; restarting from " + from;
    add(new JobEvent(now, JobEvent.NOT_ADOPTED, line));
    return line;
  }

  private void add(JobEvent event) {
    if (events.size() == MAX_EVENTS) {
      events.remove(0);
    }
    events.add(event);
  }
}

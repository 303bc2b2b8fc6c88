package io.baton.coordinator.ha;

import io.baton.common.execution.ExecutionState;
import io.baton.common.security.TokenDigest;
import io.baton.coordinator.dispatcher.DispatcherGateway;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobEvent;
import io.baton.coordinator.status.JobStatus;
import io.baton.ha.FailoverHistoryStore;
import io.baton.ha.FailoverRecord;
import io.baton.ha.FailoverRecord.Outcome;
import io.baton.ha.FailoverRecord.RecoveredJob;
import io.baton.ha.PreviousLeadership;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one entry of the cluster's failover history per leadership of this JobManager: once it
 * leads, it learns who led before and how that leader was found gone, waits until every job it
 * recovered runs (or ended, or {@code settleTimeout} passed) and appends what became of each. It
 * works on a thread of its own and only ever logs a failure: a takeover never waits on its history.
 */
public final class FailoverRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(FailoverRecorder.class);
  private static final Pattern ADOPTED = Pattern.compile("adopted (\\d+) tasks?");

  private final FailoverHistoryStore history;
  private final String leaderId;
  private final ScheduledExecutorService thread;
  private final Clock clock;
  private final Duration pollInterval;
  private final Duration settleTimeout;
  private final Duration callTimeout;

  /**
   * @param leaderId this JobManager's contender id
   * @param thread the recorder's own thread
   * @param pollInterval how often the recovered jobs are looked at while some do not run yet
   * @param settleTimeout how long after the grant the entry is written at the latest
   * @param callTimeout how long one call to the dispatcher may take
   */
  public FailoverRecorder(
      FailoverHistoryStore history,
      String leaderId,
      ScheduledExecutorService thread,
      Clock clock,
      Duration pollInterval,
      Duration settleTimeout,
      Duration callTimeout) {
    this.history = history;
    this.leaderId = leaderId;
    this.thread = thread;
    this.clock = clock;
    this.pollInterval = pollInterval;
    this.settleTimeout = settleTimeout;
    this.callTimeout = callTimeout;
  }

  /**
   * This JobManager leads with {@code sessionId} since {@code grantedAt} and has recovered its jobs
   * into {@code dispatcher}; the entry is written later on the recorder's thread.
   */
  public void leading(UUID sessionId, long grantedAt, DispatcherGateway dispatcher) {
    thread.execute(() -> begin(new Takeover(sessionId, grantedAt, dispatcher)));
  }

  /** One leadership whose entry is being put together (recorder's thread only). */
  private final class Takeover {
    final UUID sessionId;
    final long grantedAt;
    final DispatcherGateway dispatcher;
    PreviousLeadership previous = PreviousLeadership.none();

    Takeover(UUID sessionId, long grantedAt, DispatcherGateway dispatcher) {
      this.sessionId = sessionId;
      this.grantedAt = grantedAt;
      this.dispatcher = dispatcher;
    }

    String digest() {
      return TokenDigest.of(sessionId.toString());
    }
  }

  private void begin(Takeover takeover) {
    try {
      takeover.previous = history.previousLeadership(takeover.grantedAt);
    } catch (Exception e) {
      LOG.warn(
          "Leadership {}: cannot read who led before from the failover history ({}); its entry"
              + " names no predecessor",
          takeover.digest(),
          e.toString());
    }
    look(takeover);
  }

  private void look(Takeover takeover) {
    List<JobDetails> listed;
    try {
      listed = takeover.dispatcher.listJobs().get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.info(
          "Leadership {}: cannot list the recovered jobs ({}); writing its failover history entry"
              + " without them",
          takeover.digest(),
          e.toString());
      write(takeover, List.of());
      return;
    }
    List<JobDetails> recovered = listed.stream().filter(job -> job.recoveries() > 0).toList();
    boolean waiting = recovered.stream().anyMatch(job -> !settled(job));
    boolean late = clock.millis() - takeover.grantedAt >= settleTimeout.toMillis();
    if (waiting && !late) {
      thread.schedule(() -> look(takeover), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    write(takeover, recovered.stream().map(job -> outcome(job, takeover.grantedAt)).toList());
  }

  /**
   * Ended, or RUNNING with every subtask running (or finished). A job that is not adopted is
   * RUNNING while it still chooses its checkpoint, before its tasks are deployed: its outcome is
   * known only once they run.
   */
  private static boolean settled(JobDetails job) {
    if (job.status().isGloballyTerminal()) {
      return true;
    }
    int total = job.taskCounts().values().stream().mapToInt(Integer::intValue).sum();
    int running =
        job.taskCounts().getOrDefault(ExecutionState.RUNNING, 0)
            + job.taskCounts().getOrDefault(ExecutionState.FINISHED, 0);
    return job.status() == JobStatus.RUNNING && running == total;
  }

  private static RecoveredJob outcome(JobDetails job, long grantedAt) {
    String id = job.id().value();
    if (job.status() != JobStatus.RUNNING) {
      return new RecoveredJob(id, job.name(), Outcome.NOT_RUNNING, null, null, null);
    }
    Long msToRunning = Math.max(0, job.lastModification() - grantedAt);
    Integer adopted = null;
    for (JobEvent event : job.events()) {
      if (JobEvent.ADOPTED.equals(event.type()) && event.timestamp() >= grantedAt) {
        Matcher count = ADOPTED.matcher(event.message());
        adopted = count.find() ? Integer.valueOf(count.group(1)) : 0;
      }
    }
    if (adopted != null) {
      return new RecoveredJob(id, job.name(), Outcome.RECONCILED, adopted, null, msToRunning);
    }
    if (job.restoredFrom() != null) {
      return new RecoveredJob(
          id, job.name(), Outcome.RESTORED, null, job.restoredFrom().checkpointId(), msToRunning);
    }
    return new RecoveredJob(id, job.name(), Outcome.STARTED_FRESH, null, null, msToRunning);
  }

  private void write(Takeover takeover, List<RecoveredJob> jobs) {
    PreviousLeadership previous = takeover.previous;
    FailoverRecord record =
        new FailoverRecord(
            takeover.grantedAt,
            leaderId,
            takeover.digest(),
            previous.leaderId(),
            previous.tokenDigest(),
            previous.detection(),
            previous.evidence(),
            previous.detectionMs(),
            new ArrayList<>(jobs));
    try {
      history.append(record);
      LOG.info(
          "Leadership {}: failover history entry written (previous leader {} {}, found gone by"
              + " {}, {} recovered jobs)",
          takeover.digest(),
          previous.leaderId(),
          previous.tokenDigest(),
          previous.detection(),
          jobs.size());
    } catch (Exception e) {
      LOG.warn(
          "Leadership {}: could not write its failover history entry ({}); leading on without it",
          takeover.digest(),
          e.toString());
    }
  }
}

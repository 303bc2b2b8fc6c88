package io.baton.coordinator.jobmaster;

import io.baton.common.checkpoint.CheckpointAcknowledgement;
import io.baton.common.checkpoint.CheckpointDeclined;
import io.baton.common.checkpoint.EndOfData;
import io.baton.common.cluster.Acknowledgement;
import io.baton.common.execution.ExecutionStateUpdate;
import io.baton.common.ids.JobId;
import io.baton.coordinator.rpc.TaskStateReceiver;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * The job masters of one leadership's running jobs, by job id, and the route of TaskManagers' task
 * reports and checkpoint answers to them. The dispatcher registers a job master when it starts the
 * job and removes it when the job ends, both on the dispatcher's main thread; the RPC edge looks
 * jobs up from its own threads (a thread-safe read) and hands each message straight to the job
 * master's main thread, so no message waits behind the dispatcher's work or another job's. The RPC
 * edge has read the message already: a malformed job id never gets here.
 */
public final class RunningJobsRegistry implements TaskStateReceiver {
  private final ConcurrentMap<JobId, JobMaster> jobs = new ConcurrentHashMap<>();

  /** Makes {@code jobMaster} reachable for its tasks' messages. */
  public void register(JobMaster jobMaster) {
    jobs.put(jobMaster.jobId(), jobMaster);
  }

  /** Stops routing to {@code jobMaster}; a job master registered since under its id stays. */
  public void unregister(JobMaster jobMaster) {
    jobs.remove(jobMaster.jobId(), jobMaster);
  }

  /** Stops routing to every job (the leadership ends). */
  public void clear() {
    jobs.clear();
  }

  public Optional<JobMaster> lookup(JobId jobId) {
    return Optional.ofNullable(jobs.get(jobId));
  }

  /** Routes a TaskManager's task report to the job's master. */
  @Override
  public CompletableFuture<Acknowledgement> updateTaskState(ExecutionStateUpdate update) {
    return routeToJob(update.jobId(), jm -> jm.updateTaskState(update));
  }

  @Override
  public CompletableFuture<Acknowledgement> acknowledgeCheckpoint(CheckpointAcknowledgement ack) {
    return routeToJob(ack.jobId(), jm -> jm.acknowledgeCheckpoint(ack));
  }

  @Override
  public CompletableFuture<Acknowledgement> declineCheckpoint(CheckpointDeclined decline) {
    return routeToJob(decline.jobId(), jm -> jm.declineCheckpoint(decline));
  }

  @Override
  public CompletableFuture<Acknowledgement> notifyEndOfData(EndOfData notice) {
    return routeToJob(notice.jobId(), jm -> jm.notifyEndOfData(notice));
  }

  /** An unknown job is answered here; the job master's thread takes the rest. */
  private CompletableFuture<Acknowledgement> routeToJob(
      JobId jobId, Function<JobMaster, CompletableFuture<Acknowledgement>> call) {
    JobMaster jobMaster = jobs.get(jobId);
    if (jobMaster == null) {
      return CompletableFuture.completedFuture(
          Acknowledgement.refused("job " + jobId + " is not running"));
    }
    return call.apply(jobMaster);
  }
}

package io.baton.coordinator.jobmaster;

import io.baton.common.ids.JobId;
import io.baton.common.rpc.Ack;
import io.baton.common.rpc.CheckpointAck;
import io.baton.common.rpc.CheckpointDecline;
import io.baton.common.rpc.TaskStateUpdate;
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
 * master's main thread, so no message waits behind the dispatcher's work or another job's.
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
  public CompletableFuture<Ack> updateTaskState(TaskStateUpdate update) {
    return routeToJob(update.getJobId(), jm -> jm.updateTaskState(update));
  }

  @Override
  public CompletableFuture<Ack> acknowledgeCheckpoint(CheckpointAck ack) {
    return routeToJob(ack.getJobId(), jm -> jm.acknowledgeCheckpoint(ack));
  }

  @Override
  public CompletableFuture<Ack> declineCheckpoint(CheckpointDecline decline) {
    return routeToJob(decline.getJobId(), jm -> jm.declineCheckpoint(decline));
  }

  /** An unknown or malformed job id is answered here; the job master's thread takes the rest. */
  private CompletableFuture<Ack> routeToJob(
      String jobId, Function<JobMaster, CompletableFuture<Ack>> call) {
    JobMaster jobMaster;
    try {
      jobMaster = jobs.get(JobId.parse(jobId));
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(refused(e.getMessage()));
    }
    if (jobMaster == null) {
      return CompletableFuture.completedFuture(refused("job " + jobId + " is not running"));
    }
    return call.apply(jobMaster);
  }

  private static Ack refused(String error) {
    return Ack.newBuilder().setOk(false).setError(error).build();
  }
}

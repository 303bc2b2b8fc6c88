package io.baton.coordinator.rest;

import io.baton.api.graph.JobVertex;
import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.JobId;
import io.baton.coordinator.dispatcher.DispatcherGateway;
import io.baton.coordinator.dispatcher.UnknownJobException;
import io.baton.coordinator.jobmaster.JobSubmission;
import io.baton.coordinator.status.ClusterOverview;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobStatus;
import io.baton.coordinator.status.SubtaskDetails;
import io.baton.coordinator.status.TaskManagerDetails;
import io.baton.coordinator.status.VertexDetails;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A dispatcher for REST and CLI tests: accepts submissions, keeps jobs in memory and lets the test
 * move them from state to state. Synchronized: the REST threads and the test thread both use it.
 */
public final class FakeDispatcher implements DispatcherGateway {
  public final List<JobSubmission> submissions = new CopyOnWriteArrayList<>();
  public final List<AutoCloseable> userCodes = new CopyOnWriteArrayList<>();

  /** The job of every savepoint requested, in order. */
  public final List<JobId> savepointRequests = new CopyOnWriteArrayList<>();

  private final List<JobDetails> jobs = new ArrayList<>();
  private final List<TaskManagerDetails> taskManagers = new ArrayList<>();
  private volatile boolean unresponsive;

  /** Whether each savepoint requested asked to cancel its job, in order. */
  public final List<Boolean> savepointCancels = new CopyOnWriteArrayList<>();

  /** What {@link #triggerSavepoint} fails with, unless {@link #savepointLocation} is set. */
  public volatile Throwable savepointFailure =
      new UnsupportedOperationException("savepoints are not supported");

  /** Where every savepoint is written (under the target directory given, if any); null: none. */
  public volatile String savepointLocation;

  @Override
  public CompletableFuture<String> triggerSavepoint(
      JobId jobId, Optional<String> targetDirectory, boolean cancelJob) {
    savepointRequests.add(jobId);
    savepointCancels.add(cancelJob);
    String location = savepointLocation;
    if (location != null) {
      return CompletableFuture.completedFuture(
          targetDirectory.map(d -> d + "/" + location).orElse(location));
    }
    return CompletableFuture.failedFuture(savepointFailure);
  }

  /** Makes every later call return a future that never completes. */
  public void becomeUnresponsive() {
    unresponsive = true;
  }

  public synchronized void addTaskManager(TaskManagerDetails taskManager) {
    taskManagers.add(taskManager);
  }

  /** Adds a job as the JobManager would show it. */
  public synchronized void addJob(JobDetails job) {
    jobs.add(0, job);
  }

  /** Moves a job to {@code status}, every task to {@code taskState}, with records counted. */
  public synchronized void update(
      JobId id,
      JobStatus status,
      ExecutionState taskState,
      long recordsIn,
      long recordsOut,
      String failureCause) {
    JobDetails job = find(id).orElseThrow();
    List<VertexDetails> vertices =
        job.vertices().stream()
            .map(
                v ->
                    new VertexDetails(
                        v.id(),
                        v.name(),
                        v.parallelism(),
                        taskState,
                        v.startTime(),
                        Map.of(taskState, v.parallelism()),
                        recordsIn,
                        recordsOut,
                        recordsIn * 10,
                        recordsOut * 10,
                        v.subtasks()))
            .toList();
    int tasks = vertices.stream().mapToInt(VertexDetails::parallelism).sum();
    long end = status.isGloballyTerminal() ? job.startTime() + 5_000 : -1;
    replace(
        new JobDetails(
            id,
            job.name(),
            status,
            job.startTime(),
            end,
            5_000,
            Map.of(taskState, tasks),
            vertices,
            failureCause,
            job.restarts(),
            job.startTime() + 5_000));
  }

  public synchronized JobStatus status(JobId id) {
    return find(id).orElseThrow().status();
  }

  @Override
  public synchronized CompletableFuture<JobId> submitJob(
      JobSubmission submission, AutoCloseable userCode) {
    userCodes.add(userCode);
    if (unresponsive) {
      return new CompletableFuture<>();
    }
    submissions.add(submission);
    JobId id = JobId.random();
    jobs.add(0, runningJob(id, submission));
    return CompletableFuture.completedFuture(id);
  }

  @Override
  public synchronized CompletableFuture<List<JobDetails>> listJobs() {
    return unresponsive
        ? new CompletableFuture<>()
        : CompletableFuture.completedFuture(List.copyOf(jobs));
  }

  @Override
  public synchronized CompletableFuture<Optional<JobDetails>> requestJob(JobId jobId) {
    return unresponsive
        ? new CompletableFuture<>()
        : CompletableFuture.completedFuture(find(jobId));
  }

  @Override
  public synchronized CompletableFuture<Void> cancelJob(JobId jobId) {
    if (unresponsive) {
      return new CompletableFuture<>();
    }
    Optional<JobDetails> job = find(jobId);
    if (job.isEmpty()) {
      return CompletableFuture.failedFuture(new UnknownJobException(jobId));
    }
    update(jobId, JobStatus.CANCELED, ExecutionState.CANCELED, 0, 0, null);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletableFuture<ClusterOverview> requestClusterOverview() {
    if (unresponsive) {
      return new CompletableFuture<>();
    }
    int slots = taskManagers.stream().mapToInt(TaskManagerDetails::slotsNumber).sum();
    int free = taskManagers.stream().mapToInt(TaskManagerDetails::freeSlots).sum();
    return CompletableFuture.completedFuture(
        new ClusterOverview(
            taskManagers.size(),
            slots,
            free,
            count(JobStatus.RUNNING),
            count(JobStatus.FINISHED),
            count(JobStatus.CANCELED),
            count(JobStatus.FAILED)));
  }

  @Override
  public synchronized CompletableFuture<List<TaskManagerDetails>> requestTaskManagers() {
    return unresponsive
        ? new CompletableFuture<>()
        : CompletableFuture.completedFuture(List.copyOf(taskManagers));
  }

  private int count(JobStatus status) {
    return (int) jobs.stream().filter(j -> j.status() == status).count();
  }

  private Optional<JobDetails> find(JobId id) {
    return jobs.stream().filter(j -> j.id().equals(id)).findFirst();
  }

  private void replace(JobDetails job) {
    jobs.replaceAll(j -> j.id().equals(job.id()) ? job : j);
  }

  private static JobDetails runningJob(JobId id, JobSubmission submission) {
    long start = 1_700_000_000_000L;
    List<VertexDetails> vertices = new ArrayList<>();
    Map<ExecutionState, Integer> counts = new EnumMap<>(ExecutionState.class);
    for (JobVertex v : submission.graph().vertices()) {
      List<SubtaskDetails> subtasks = new ArrayList<>();
      for (int i = 0; i < v.parallelism(); i++) {
        subtasks.add(new SubtaskDetails(i, ExecutionState.DEPLOYING, 0, "tm-1", "localhost", 0, 0));
      }
      vertices.add(
          new VertexDetails(
              v.id(),
              v.name(),
              v.parallelism(),
              ExecutionState.DEPLOYING,
              start,
              Map.of(ExecutionState.DEPLOYING, v.parallelism()),
              0,
              0,
              0,
              0,
              subtasks));
      counts.merge(ExecutionState.DEPLOYING, v.parallelism(), Integer::sum);
    }
    return new JobDetails(
        id,
        submission.graph().name(),
        JobStatus.RUNNING,
        start,
        -1,
        0,
        counts,
        vertices,
        null,
        0,
        start);
  }
}

package io.baton.coordinator.dispatcher;

import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.config.Configuration;
import io.baton.common.config.JobManagerOptions;
import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.JobId;
import io.baton.common.io.Closeables;
import io.baton.coordinator.blob.BlobStore;
import io.baton.coordinator.checkpoint.CheckpointMetadata;
import io.baton.coordinator.checkpoint.CheckpointServices;
import io.baton.coordinator.checkpoint.CheckpointSettings;
import io.baton.coordinator.checkpoint.CheckpointStats;
import io.baton.coordinator.checkpoint.RestorePoint;
import io.baton.coordinator.failover.RestartStrategy;
import io.baton.coordinator.failover.RestartStrategyFactory;
import io.baton.coordinator.jobmaster.JobLifecycleStores;
import io.baton.coordinator.jobmaster.JobMaster;
import io.baton.coordinator.jobmaster.JobReconciling;
import io.baton.coordinator.jobmaster.JobSubmission;
import io.baton.coordinator.jobmaster.RunningJobsRegistry;
import io.baton.coordinator.metrics.JobManagerMetrics;
import io.baton.coordinator.resourcemanager.ResourceManagerGateway;
import io.baton.coordinator.resourcemanager.ResourceOverview;
import io.baton.coordinator.resourcemanager.TaskAdoptionGateway;
import io.baton.coordinator.scheduler.JobCheckpointing;
import io.baton.coordinator.scheduler.SchedulerServices;
import io.baton.coordinator.scheduler.SuspendedTasks;
import io.baton.coordinator.status.ClusterOverview;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobStatus;
import io.baton.coordinator.status.TaskManagerDetails;
import io.baton.ha.JobResult;
import io.baton.storage.FileStores;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts jobs, starts a {@link JobMaster} for each, registers it in the {@link
 * RunningJobsRegistry} that routes TaskManagers' task reports to it, and keeps the last {@code
 * jobstore.max-capacity} finished jobs for listings. Its own state lives on its main thread; job
 * state is asked of the job masters.
 */
public final class Dispatcher implements DispatcherGateway {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final MainThreadExecutor mainThread;
  private final Configuration clusterConfig;
  private final ResourceManagerGateway resourceManager;
  private final JobReconciling reconciling;
  private final RestartStrategyFactory restartStrategies;
  private final Function<JobId, MainThreadExecutor> jobMasterThreads;
  private final Clock clock;
  private final JobManagerMetrics metrics;
  private final Duration cancelTimeout;
  private final int archiveCapacity;
  private final CheckpointServices checkpointServices;
  private final JobLifecycleStores lifecycleStores;
  private final Optional<BlobStore> localJars;

  // written on the main thread only; read by the RPC edge to route task reports
  private final RunningJobsRegistry runningJobs = new RunningJobsRegistry();
  // main thread only
  private final Map<JobId, JobMaster> running = new LinkedHashMap<>();
  // in the order the jobs ended: the first is evicted first
  private final Map<JobId, ArchivedJob> archived = new LinkedHashMap<>();
  // class loaders of the jobs' jars, open while the job runs
  private final Map<JobId, AutoCloseable> classLoaders = new HashMap<>();
  private boolean closed;

  /**
   * @param adoption the tasks TaskManagers report still running, for recovered jobs to adopt
   * @param checkpointServices storage and the checkpoint stores of the jobs (the leader session's)
   * @param lifecycleStores where accepted jobs are stored and ended ones released (the leader
   *     session's)
   * @param localJars the JobManager's jar store, whose jars go to the HA job jar store on
   *     submission; empty when jobs bring no jars
   */
  public Dispatcher(
      MainThreadExecutor mainThread,
      Configuration clusterConfig,
      ResourceManagerGateway resourceManager,
      TaskAdoptionGateway adoption,
      RestartStrategyFactory restartStrategies,
      Function<JobId, MainThreadExecutor> jobMasterThreads,
      Clock clock,
      JobManagerMetrics metrics,
      Duration cancelTimeout,
      CheckpointServices checkpointServices,
      JobLifecycleStores lifecycleStores,
      Optional<BlobStore> localJars) {
    this.localJars = localJars;
    this.checkpointServices = checkpointServices;
    this.lifecycleStores = lifecycleStores;
    this.mainThread = mainThread;
    this.clusterConfig = clusterConfig;
    this.resourceManager = resourceManager;
    this.reconciling = JobReconciling.of(clusterConfig, adoption);
    this.restartStrategies = restartStrategies;
    this.jobMasterThreads = jobMasterThreads;
    this.clock = clock;
    this.metrics = metrics;
    this.cancelTimeout = cancelTimeout;
    this.archiveCapacity = Math.max(0, clusterConfig.get(JobManagerOptions.ARCHIVED_JOBS));
  }

  /**
   * Accepts a job: its jar and graph are stored for the next leader before it starts, so a refused
   * store write refuses the submission (one line), and a started job is never lost with this
   * JobManager.
   */
  @Override
  public CompletableFuture<JobId> submitJob(JobSubmission submission, AutoCloseable userCode) {
    CompletableFuture<Optional<RestorePoint>> restore;
    if (submission.savepointPath().isEmpty()) {
      restore = CompletableFuture.completedFuture(Optional.empty());
    } else {
      // reading and verifying the savepoint blocks on storage: not on the dispatcher's thread
      String path = submission.savepointPath().get();
      restore =
          CompletableFuture.supplyAsync(
              () -> Optional.of(loadSavepoint(path)), checkpointServices.io());
    }
    return restore
        .thenCompose(
            point -> mainThread.call(() -> createJob(JobId.random(), submission, point, 0)))
        .thenCompose(
            jobMaster ->
                CompletableFuture.supplyAsync(
                    () -> persist(jobMaster, StoredJob.of(jobMaster.jobId(), submission, 0)),
                    checkpointServices.io()))
        .thenCompose(jobMaster -> mainThread.call(() -> launch(jobMaster, submission, userCode)))
        .whenComplete(
            (id, refused) -> {
              if (refused != null) {
                Closeables.closeQuietly(userCode, LOG, "the class loader of a refused job");
              }
            });
  }

  /**
   * Starts a job a new leader found in the job graph store, under its own id, from its latest
   * completed checkpoint (or its savepoint, or the beginning).
   *
   * @param savepoint the savepoint it was submitted with, read again
   * @param classLoader the class loader of the job's jar, closed when the job ends
   */
  public CompletableFuture<JobId> recoverJob(
      StoredJob job, Optional<RestorePoint> savepoint, AutoCloseable classLoader) {
    return mainThread.call(
        () -> {
          JobMaster jobMaster;
          try {
            jobMaster = createJob(job.jobId(), job.submission(), savepoint, job.recoveries());
          } catch (RuntimeException e) {
            Closeables.closeQuietly(classLoader, LOG, "the class loader of job " + job.jobId());
            throw e;
          }
          return launch(jobMaster, job.submission(), classLoader);
        });
  }

  /** Lists a job that ended under an earlier leader, as its stored result says. */
  public CompletableFuture<Void> addFinishedJob(JobResult result) {
    return mainThread.call(
        () -> {
          if (running.containsKey(result.jobId()) || archived.containsKey(result.jobId())) {
            return null;
          }
          JobDetails details = detailsOf(result);
          metrics.jobStatusChanged(null, details.status());
          archived.put(
              details.id(),
              new ArchivedJob(
                  details,
                  CheckpointStats.EMPTY,
                  () -> metrics.jobStatusChanged(details.status(), null)));
          evictOldest();
          return null;
        });
  }

  private static JobDetails detailsOf(JobResult result) {
    Map<ExecutionState, Integer> counts = new EnumMap<>(ExecutionState.class);
    for (ExecutionState state : ExecutionState.values()) {
      counts.put(state, 0);
    }
    JobStatus status;
    try {
      status = JobStatus.valueOf(result.status());
    } catch (IllegalArgumentException e) {
      status = JobStatus.FAILED;
    }
    return new JobDetails(
        result.jobId(),
        result.jobName(),
        status,
        result.startTime(),
        result.endTime(),
        Math.max(0, result.endTime() - result.startTime()),
        Collections.unmodifiableMap(counts),
        List.of(),
        result.failureCause().orElse(null),
        0,
        result.endTime());
  }

  /** Builds the job's master (which checks the job); it does not run yet. Main thread. */
  private JobMaster createJob(
      JobId jobId,
      JobSubmission submission,
      Optional<RestorePoint> initialRestore,
      int recoveries) {
    mainThread.assertRunningInMainThread();
    if (closed) {
      throw new IllegalStateException("the JobManager is shutting down");
    }
    CheckpointSettings checkpointSettings =
        CheckpointSettings.of(clusterConfig, submission.graph().config());
    checkpointSettings.checkpointsDirectory().ifPresent(this::checkReachable);
    RestartStrategy restartStrategy =
        restartStrategies.create(clusterConfig, submission.graph().config());
    MainThreadExecutor thread = jobMasterThreads.apply(jobId);
    try {
      return new JobMaster(
          jobId,
          submission,
          restartStrategy,
          new SchedulerServices(resourceManager, thread, clock, cancelTimeout, metrics),
          new JobCheckpointing(checkpointServices, checkpointSettings, initialRestore),
          lifecycleStores,
          recoveries,
          reconciling);
    } catch (RuntimeException e) {
      thread.shutdown(Duration.ZERO);
      throw e;
    }
  }

  /**
   * Puts the job's jar and graph into the HA stores. Blocks on storage: runs on the I/O executor.
   *
   * @throws IllegalStateException one line when a store refused the write
   */
  private JobMaster persist(JobMaster jobMaster, StoredJob job) {
    try {
      // a key the local jar store does not know names classes on the class path (embedded use)
      if (job.blobKey() != null
          && localJars.isPresent()
          && localJars.get().contains(job.blobKey())) {
        lifecycleStores.storeJar(job.blobKey(), localJars.get().localFile(job.blobKey()));
      }
      lifecycleStores.storeJobGraph(job.jobId(), job.serialize());
      return jobMaster;
    } catch (IOException | RuntimeException e) {
      jobMaster.discard();
      LOG.warn("Refused job {} ({}): storing it failed", job.graph().name(), job.jobId(), e);
      throw new IllegalStateException(
          "cannot store job '" + job.graph().name() + "' for high availability: " + e.getMessage(),
          e);
    }
  }

  private JobId launch(JobMaster jobMaster, JobSubmission submission, AutoCloseable classLoader) {
    mainThread.assertRunningInMainThread();
    if (closed) {
      jobMaster.discard();
      Closeables.closeQuietly(classLoader, LOG, "the class loader of job " + jobMaster.jobId());
      throw new IllegalStateException("the JobManager is shutting down");
    }
    JobId jobId = jobMaster.jobId();
    running.put(jobId, jobMaster);
    runningJobs.register(jobMaster);
    if (classLoader != null) {
      classLoaders.put(jobId, classLoader);
    }
    LOG.info(
        "Accepted job {} ({}) with {} vertices{}",
        submission.graph().name(),
        jobId,
        submission.graph().vertices().size(),
        submission.blobKey().map(k -> ", jar " + k).orElse(""));
    jobMaster
        .terminationFuture()
        .thenCompose(
            details ->
                jobMaster
                    .requestCheckpointStats()
                    .exceptionally(e -> CheckpointStats.EMPTY)
                    .thenApply(stats -> Map.entry(details, stats)))
        .thenAcceptAsync(ended -> archive(jobMaster, ended.getKey(), ended.getValue()), mainThread);
    jobMaster.start();
    return jobId;
  }

  /** An unknown scheme or unreachable store refuses the job (one line naming the URI). */
  private void checkReachable(URI directory) {
    try {
      checkpointServices.fileStores().forUri(directory);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot reach checkpoint storage " + directory + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads and verifies a savepoint or retained checkpoint, so a bad path is refused before the job
   * is accepted. Blocks on storage: runs on the checkpoint I/O executor.
   *
   * @throws IllegalArgumentException one line: {@code not a savepoint or retained checkpoint:
   *     <path>: <why>}
   */
  RestorePoint loadSavepoint(String path) {
    try {
      URI uri = FileStores.toUri(path);
      CheckpointMetadata metadata = checkpointServices.files().readMetadata(uri);
      checkpointServices.files().verify(uri, metadata);
      return new RestorePoint(metadata, path);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "not a savepoint or retained checkpoint: " + path + ": " + e.getMessage(), e);
    }
  }

  private void archive(JobMaster jobMaster, JobDetails details, CheckpointStats checkpointStats) {
    mainThread.assertRunningInMainThread();
    if (running.remove(jobMaster.jobId()) == null) {
      return;
    }
    runningJobs.unregister(jobMaster);
    jobMaster.shutdown(Duration.ZERO);
    Closeables.closeQuietly(
        classLoaders.remove(jobMaster.jobId()),
        LOG,
        "the class loader of job " + jobMaster.jobId());
    archived.put(
        details.id(),
        new ArchivedJob(
            details,
            checkpointStats,
            () -> {
              jobMaster.removeMetrics();
              metrics.jobStatusChanged(details.status(), null);
            }));
    evictOldest();
  }

  private void evictOldest() {
    mainThread.assertRunningInMainThread();
    Iterator<ArchivedJob> oldest = archived.values().iterator();
    while (archived.size() > archiveCapacity && oldest.hasNext()) {
      ArchivedJob evicted = oldest.next();
      oldest.remove();
      evicted.forget().run();
      LOG.debug(
          "Forgot job {}: more than {} finished jobs", evicted.details().id(), archiveCapacity);
    }
  }

  @Override
  public CompletableFuture<List<JobDetails>> listJobs() {
    return mainThread
        .compose(
            () -> {
              List<CompletableFuture<JobDetails>> live =
                  running.values().stream().map(JobMaster::requestDetails).toList();
              List<JobDetails> done = archived.values().stream().map(ArchivedJob::details).toList();
              return CompletableFuture.allOf(live.toArray(CompletableFuture[]::new))
                  .thenApply(
                      ignored -> {
                        List<JobDetails> all = new ArrayList<>(done);
                        live.forEach(f -> all.add(f.join()));
                        return all;
                      });
            })
        .thenApply(
            all -> {
              List<JobDetails> sorted = new ArrayList<>(all);
              sorted.sort(Comparator.comparingLong(JobDetails::startTime).reversed());
              return List.copyOf(sorted);
            });
  }

  @Override
  public CompletableFuture<Optional<JobDetails>> requestJob(JobId jobId) {
    return mainThread.compose(
        () -> {
          JobMaster jm = running.get(jobId);
          if (jm != null) {
            return jm.requestDetails().thenApply(Optional::of);
          }
          ArchivedJob archivedJob = archived.get(jobId);
          return CompletableFuture.completedFuture(
              Optional.ofNullable(archivedJob).map(ArchivedJob::details));
        });
  }

  @Override
  public CompletableFuture<Void> cancelJob(JobId jobId) {
    return mainThread.compose(
        () -> {
          JobMaster jm = running.get(jobId);
          if (jm != null) {
            return jm.cancel();
          }
          if (archived.containsKey(jobId)) {
            // already over: nothing to cancel
            return CompletableFuture.completedFuture(null);
          }
          return CompletableFuture.failedFuture(new UnknownJobException(jobId));
        });
  }

  @Override
  public CompletableFuture<ClusterOverview> requestClusterOverview() {
    CompletableFuture<ResourceOverview> resources = resourceManager.overview();
    return listJobs()
        .thenCombine(
            resources,
            (jobs, r) -> {
              int running = 0;
              int finished = 0;
              int cancelled = 0;
              int failed = 0;
              for (JobDetails j : jobs) {
                switch (j.status()) {
                  case FINISHED -> finished++;
                  case CANCELED -> cancelled++;
                  case FAILED -> failed++;
                  default -> running++;
                }
              }
              return new ClusterOverview(
                  r.taskManagers(),
                  r.slotsTotal(),
                  r.slotsAvailable(),
                  running,
                  finished,
                  cancelled,
                  failed);
            });
  }

  @Override
  public CompletableFuture<List<TaskManagerDetails>> requestTaskManagers() {
    return resourceManager.taskManagers();
  }

  @Override
  public CompletableFuture<Optional<CheckpointStats>> requestCheckpointStats(JobId jobId) {
    return mainThread.compose(
        () -> {
          JobMaster jm = running.get(jobId);
          if (jm != null) {
            return jm.requestCheckpointStats().thenApply(Optional::of);
          }
          return CompletableFuture.completedFuture(
              Optional.ofNullable(archived.get(jobId)).map(ArchivedJob::checkpointStats));
        });
  }

  @Override
  public CompletableFuture<Long> triggerCheckpoint(JobId jobId) {
    return mainThread.compose(() -> runningJob(jobId).triggerCheckpoint());
  }

  /**
   * The master of a running job. Main thread.
   *
   * @throws IllegalStateException naming the state of a job that ended
   * @throws UnknownJobException for a job never seen here
   */
  private JobMaster runningJob(JobId jobId) {
    JobMaster jm = running.get(jobId);
    if (jm != null) {
      return jm;
    }
    if (archived.containsKey(jobId)) {
      throw new IllegalStateException(
          "job " + jobId + " is " + archived.get(jobId).details().status());
    }
    throw new UnknownJobException(jobId);
  }

  @Override
  public CompletableFuture<Optional<CheckpointSettings>> requestCheckpointSettings(JobId jobId) {
    return mainThread.call(
        () -> Optional.ofNullable(running.get(jobId)).map(JobMaster::checkpointSettings));
  }

  @Override
  public CompletableFuture<String> triggerSavepoint(
      JobId jobId, Optional<String> targetDirectory, boolean cancelJob) {
    return mainThread.compose(
        () -> {
          JobMaster jm = runningJob(jobId);
          Optional<URI> target;
          try {
            target = targetDirectory.map(FileStores::toUri);
          } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
          }
          return jm.triggerSavepoint(target, cancelJob);
        });
  }

  /**
   * Where TaskManagers' task reports and checkpoint answers for this dispatcher's running jobs go,
   * straight to each job master's main thread.
   */
  public RunningJobsRegistry runningJobs() {
    return runningJobs;
  }

  /**
   * Suspends every running job (its tasks are cancelled, its slots freed), then stops the job
   * masters' and its own threads, waiting at most {@code timeout} for each step.
   */
  public void close(Duration timeout) {
    close(timeout, "the JobManager shuts down", SuspendedTasks.CANCEL);
  }

  /**
   * Suspends every running job for {@code reason} (its tasks cancelled and its slots freed, or left
   * running for the next leader: {@code tasks}; it stays stored for the next leader), then stops
   * the job masters' and its own threads.
   */
  public void close(Duration timeout, String reason, SuspendedTasks tasks) {
    CompletableFuture<List<JobMaster>> suspended =
        mainThread.compose(
            () -> {
              closed = true;
              List<JobMaster> masters = new ArrayList<>(running.values());
              // suspended jobs take no more reports: TaskManagers learn it is not running
              runningJobs.clear();
              List<CompletableFuture<Void>> steps =
                  masters.stream().map(jm -> jm.suspend(reason, tasks)).toList();
              return CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new))
                  .thenApply(ignored -> masters);
            });
    List<JobMaster> masters = List.of();
    try {
      masters = suspended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("Jobs did not suspend within {} ms", timeout.toMillis(), e);
    }
    for (JobMaster jm : masters) {
      jm.shutdown(timeout);
      jm.removeMetrics();
    }
    mainThread.shutdown(timeout);
    classLoaders.forEach(
        (jobId, loader) ->
            Closeables.closeQuietly(loader, LOG, "the class loader of job " + jobId));
  }

  /** A job that ended, and how to forget it. */
  private record ArchivedJob(
      JobDetails details, CheckpointStats checkpointStats, Runnable forget) {}
}

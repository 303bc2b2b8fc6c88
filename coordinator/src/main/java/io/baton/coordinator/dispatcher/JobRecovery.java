package io.baton.coordinator.dispatcher;

import io.baton.common.classloading.UserCodeClassLoader;
import io.baton.common.config.Configuration;
import io.baton.common.config.ErrorLines;
import io.baton.common.ids.JobId;
import io.baton.common.io.Closeables;
import io.baton.coordinator.blob.BlobStore;
import io.baton.coordinator.checkpoint.CheckpointDisposal;
import io.baton.coordinator.checkpoint.CheckpointFiles;
import io.baton.coordinator.checkpoint.CheckpointSettings;
import io.baton.coordinator.checkpoint.RestorePoint;
import io.baton.coordinator.status.JobStatus;
import io.baton.ha.JobResult;
import io.baton.ha.LeaderStores;
import io.baton.ha.LeadershipLostException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a new leader does before it serves (rule 5 of the ZooKeeper safety rules,
 * docs/architecture.md): removes files no pointer names, reads the job results (those jobs are
 * listed as ended and never run), then the job graphs. A job with a result has its clean-up
 * finished (checkpoints as retention says, its pointers, its graph); every other job is started
 * again under its id from its latest readable completed checkpoint. A job whose graph cannot be
 * read is recorded FAILED with the reason; the others recover.
 *
 * <p>Storage is read on the I/O executor; the dispatcher is told on its own thread.
 */
public final class JobRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(JobRecovery.class);

  private final Dispatcher dispatcher;
  private final LeaderStores stores;
  private final Optional<BlobStore> localJars;
  private final Configuration clusterConfig;
  private final CheckpointFiles files;
  private final Executor io;
  private final Clock clock;
  private final ClassLoader parent;

  public JobRecovery(
      Dispatcher dispatcher,
      LeaderStores stores,
      Optional<BlobStore> localJars,
      Configuration clusterConfig,
      CheckpointFiles files,
      Executor io,
      Clock clock) {
    this.dispatcher = dispatcher;
    this.stores = stores;
    this.localJars = localJars;
    this.clusterConfig = clusterConfig;
    this.files = files;
    this.io = io;
    this.clock = clock;
    this.parent = JobRecovery.class.getClassLoader();
  }

  /**
   * Recovers every job; completes once each recovered job was handed to the dispatcher. Fails when
   * the stores cannot be read at all or refuse a write because this JobManager no longer leads.
   */
  public CompletableFuture<Void> recover() {
    return CompletableFuture.supplyAsync(this::readStores, io)
        .thenCompose(
            plan -> {
              List<CompletableFuture<?>> steps = new ArrayList<>();
              plan.results().forEach(r -> steps.add(dispatcher.addFinishedJob(r)));
              for (Recoverable job : plan.jobs()) {
                steps.add(
                    dispatcher
                        .recoverJob(job.job(), job.savepoint(), job.classLoader())
                        .exceptionally(
                            e -> {
                              LOG.warn(
                                  "Could not start recovered job {} ({})",
                                  job.job().graph().name(),
                                  job.job().jobId(),
                                  e);
                              return null;
                            }));
              }
              return CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new));
            });
  }

  private record Recoverable(
      StoredJob job, Optional<RestorePoint> savepoint, AutoCloseable classLoader) {}

  private record Plan(List<JobResult> results, List<Recoverable> jobs) {}

  /** Blocks on storage: I/O executor only. */
  private Plan readStores() {
    try {
      stores.removeUnreferencedFiles();
      List<JobResult> results = new ArrayList<>(stores.jobResultStore().all());
      // the newest are listed last, so the archive keeps them when it is full
      results.sort(java.util.Comparator.comparingLong(JobResult::endTime));
      Set<JobId> jobIds = stores.jobGraphStore().jobIds();
      LOG.info(
          "Recovering: {} job results, {} stored jobs {}", results.size(), jobIds.size(), jobIds);
      Map<JobId, JobResult> resultsById = new java.util.HashMap<>();
      results.forEach(r -> resultsById.put(r.jobId(), r));
      List<Recoverable> jobs = new ArrayList<>();
      for (JobId jobId : jobIds) {
        JobResult result = resultsById.get(jobId);
        if (result != null) {
          finishCleanUp(jobId, result);
          continue;
        }
        try {
          jobs.add(prepare(jobId));
        } catch (LeadershipLostException e) {
          throw e;
        } catch (IOException | RuntimeException e) {
          results.add(markFailed(jobId, e));
        }
      }
      return new Plan(results, jobs);
    } catch (IOException e) {
      throw new UncheckedIOException("recovering the stored jobs failed: " + e.getMessage(), e);
    }
  }

  /** Reads a stored job with its jar's classes and counts this recovery in its entry. */
  private Recoverable prepare(JobId jobId) throws IOException {
    byte[] bytes =
        stores
            .jobGraphStore()
            .get(jobId)
            .orElseThrow(() -> new IOException("its job graph pointer disappeared"));
    Optional<String> blobKey = StoredJob.blobKeyOf(bytes);
    UserCodeClassLoader loader = null;
    StoredJob job;
    try {
      loader = classLoaderFor(blobKey);
      job = StoredJob.deserialize(bytes, loader == null ? parent : loader, storedGraph(jobId));
    } catch (IOException | RuntimeException e) {
      Closeables.closeQuietly(loader, LOG, "the class loader of job " + jobId);
      throw e;
    }
    StoredJob recovered = job.recoveredOnceMore();
    try {
      // the count survives this leader: the next one reads it from here
      stores.jobGraphStore().put(jobId, recovered.serialize());
    } catch (IOException e) {
      Closeables.closeQuietly(loader, LOG, "the class loader of job " + jobId);
      throw e;
    }
    Optional<RestorePoint> savepoint = Optional.empty();
    if (recovered.savepointPath() != null) {
      try {
        savepoint = Optional.of(dispatcher.loadSavepoint(recovered.savepointPath()));
      } catch (RuntimeException e) {
        // its completed checkpoints may make it unnecessary; without any the job starts afresh
        LOG.warn(
            "Job {} was submitted with a savepoint that cannot be read any more: {}",
            jobId,
            e.getMessage());
      }
    }
    LOG.info(
        "Recovering job {} ({}): recovery {}",
        recovered.graph().name(),
        jobId,
        recovered.recoveries());
    return new Recoverable(recovered, savepoint, loader);
  }

  /**
   * The class loader of a job's jar, fetched from the HA jar store into the local one when missing;
   * null when the job's classes are on the class path.
   */
  private UserCodeClassLoader classLoaderFor(Optional<String> blobKey) throws IOException {
    if (blobKey.isEmpty() || localJars.isEmpty()) {
      return null;
    }
    String key = blobKey.get();
    BlobStore local = localJars.get();
    if (!local.contains(key)) {
      if (!stores.jobJarStore().contains(key)) {
        LOG.info("Job jar {} is in no store: the job's classes come from the class path", key);
        return null;
      }
      Path copy = Files.createTempFile("baton-recovered-", ".jar");
      try {
        stores.jobJarStore().copyTo(key, copy);
        try (InputStream in = Files.newInputStream(copy)) {
          String stored = local.put(in, key + ".jar");
          if (!stored.equals(key)) {
            throw new IOException(
                "job jar " + key + " from the HA store has different content (" + stored + ")");
          }
        }
      } finally {
        Files.deleteIfExists(copy);
      }
      LOG.info("Fetched job jar {} from the HA jar store", key);
    }
    URL url = local.localFile(key).toUri().toURL();
    return new UserCodeClassLoader(new URL[] {url}, parent);
  }

  /**
   * A crashed leader recorded the job's result but did not finish its clean-up: checkpoints as
   * retention says, then its pointers, then its graph (the order of a job's end).
   */
  private void finishCleanUp(JobId jobId, JobResult result) throws IOException {
    LOG.info(
        "Job {} ({}) ended {} under an earlier leader; finishing its clean-up, not running it",
        result.jobName(),
        jobId,
        result.status());
    JobStatus status;
    try {
      status = JobStatus.valueOf(result.status());
    } catch (IllegalArgumentException e) {
      status = JobStatus.FAILED;
    }
    Map<String, String> jobConfig = Map.of();
    try {
      Optional<byte[]> bytes = stores.jobGraphStore().get(jobId);
      if (bytes.isPresent()) {
        UserCodeClassLoader loader = classLoaderFor(StoredJob.blobKeyOf(bytes.get()));
        try {
          jobConfig =
              StoredJob.deserialize(
                      bytes.get(), loader == null ? parent : loader, storedGraph(jobId))
                  .graph()
                  .config();
        } finally {
          Closeables.closeQuietly(loader, LOG, "the class loader of job " + jobId);
        }
      }
    } catch (IOException | RuntimeException e) {
      // retention is decided by the cluster's settings then
      LOG.warn("Cannot read the job graph of ended job {}: {}", jobId, e.getMessage());
    }
    CheckpointDisposal.cleanUp(
        jobId,
        status,
        CheckpointSettings.of(clusterConfig, jobConfig),
        stores.completedCheckpointStore(jobId),
        files,
        io);
    stores.releaseJob(jobId);
    stores.jobGraphStore().remove(jobId);
  }

  /** A job that cannot be recovered ends FAILED with the reason, as a terminal job does. */
  private JobResult markFailed(JobId jobId, Exception cause) throws IOException {
    String reason = "cannot recover the job: " + ErrorLines.firstLine(cause);
    LOG.error("Job {} is marked FAILED: {}", jobId, reason, cause);
    long now = clock.millis();
    JobResult result =
        new JobResult(jobId, jobId.toString(), "FAILED", now, now, Optional.of(reason));
    stores.jobResultStore().put(result);
    stores.releaseJob(jobId);
    stores.jobGraphStore().remove(jobId);
    return result;
  }

  private static String storedGraph(JobId jobId) {
    return "the stored job graph of job " + jobId;
  }
}

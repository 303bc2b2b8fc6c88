package io.baton.yarn;

import io.baton.common.config.Configuration;
import io.baton.common.config.ErrorLines;
import io.baton.common.config.HighAvailabilityOptions;
import io.baton.coordinator.JobManager;
import io.baton.coordinator.status.JobDetails;
import io.baton.ha.ClientHighAvailabilityServices;
import io.baton.ha.factory.HighAvailabilityServicesFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a YARN application for good, as its user asked ({@code DELETE /cluster}, which {@code
 * yarn-session.sh --stop} sends) or as its job ended (application mode): cancels the running jobs
 * (as Flink's stop does: nothing is kept to resume them), closes the JobManager, deletes the
 * cluster's HA data (ZooKeeper and {@code high-availability.storageDir}) and the staging directory.
 * Only this path deletes them: an ApplicationMaster that dies, loses its leadership or is killed
 * leaves them for the next attempt.
 */
final class SessionEnd {
  private static final Logger LOG = LoggerFactory.getLogger(SessionEnd.class);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(30);

  private final JobManager jobManager;
  private final Configuration config;
  private final String stagingDir;
  private final YarnConfiguration yarnConfig;

  SessionEnd(
      JobManager jobManager,
      Configuration config,
      String stagingDir,
      YarnConfiguration yarnConfig) {
    this.jobManager = jobManager;
    this.config = config;
    this.stagingDir = stagingDir;
    this.yarnConfig = yarnConfig;
  }

  /**
   * Ends it; returns the diagnostics for YARN: {@code why}, then what was cancelled, deleted or
   * left behind.
   */
  String run(String why) throws InterruptedException {
    List<String> cancelled = cancelRunningJobs();
    jobManager.close();
    List<String> left = new ArrayList<>();
    if (config.get(HighAvailabilityOptions.TYPE) == HighAvailabilityOptions.Type.ZOOKEEPER) {
      try (ClientHighAvailabilityServices ha =
          HighAvailabilityServicesFactory.createClient(config)) {
        ha.deleteClusterData();
        LOG.info(
            "Deleted the HA data of cluster-id {}", config.get(HighAvailabilityOptions.CLUSTER_ID));
      } catch (IOException | RuntimeException e) {
        LOG.warn("The session's HA data stays", e);
        left.add("HA data (" + ErrorLines.firstLine(e) + ")");
      }
    }
    try {
      Path staging = new Path(stagingDir);
      staging.getFileSystem(yarnConfig).delete(staging, true);
      LOG.info("Deleted the staging directory {}", stagingDir);
    } catch (IOException | RuntimeException e) {
      LOG.warn("The staging directory {} stays", stagingDir, e);
      left.add("staging directory " + stagingDir + " (" + ErrorLines.firstLine(e) + ")");
    }
    return why
        + (cancelled.isEmpty() ? "" : "; cancelled jobs " + cancelled)
        + (left.isEmpty()
            ? "; staging directory and HA data deleted"
            : "; left behind: " + String.join(", ", left));
  }

  /** Cancels every job that has not ended and waits (bounded) until each has. */
  private List<String> cancelRunningJobs() throws InterruptedException {
    List<String> cancelled = new ArrayList<>();
    try {
      for (JobDetails job : await(jobManager.dispatcher().listJobs())) {
        if (!job.status().isGloballyTerminal()) {
          LOG.info("Cancelling job {} ({}): the session is stopped", job.id(), job.name());
          await(jobManager.dispatcher().cancelJob(job.id()));
          cancelled.add(job.id().toString());
        }
      }
      long deadline = System.nanoTime() + CANCEL_TIMEOUT.toNanos();
      while (!allEnded()) {
        if (System.nanoTime() > deadline) {
          LOG.warn("Jobs still running {} after cancelling; stopping anyway", CANCEL_TIMEOUT);
          break;
        }
        CompletableFuture.runAsync(
                () -> {}, CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS))
            .join();
      }
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("Could not cancel every job before stopping: {}", ErrorLines.firstLine(e));
    }
    return cancelled;
  }

  private boolean allEnded() throws InterruptedException, ExecutionException, TimeoutException {
    return await(jobManager.dispatcher().listJobs()).stream()
        .allMatch(j -> j.status().isGloballyTerminal());
  }

  private static <T> T await(CompletableFuture<T> call)
      throws InterruptedException, ExecutionException, TimeoutException {
    return call.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }
}

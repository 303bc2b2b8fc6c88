package io.baton.yarn;

import io.baton.common.config.Configuration;
import io.baton.common.config.ErrorLines;
import io.baton.common.ids.JobId;
import io.baton.coordinator.JobManager;
import io.baton.coordinator.blob.BlobStore;
import io.baton.coordinator.jobmaster.JobSubmission;
import io.baton.coordinator.program.ExtractedProgram;
import io.baton.coordinator.program.JobGraphExtractor;
import io.baton.coordinator.program.ProgramInvocationException;
import io.baton.coordinator.program.ProgramRequest;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Application mode: the one job of the jar shipped with the application, run by this
 * ApplicationMaster's JobManager until it ends. Its {@code main()} runs in the program JVM, as for
 * a jar run through REST, never in the JobManager's own. A later attempt finds the job recovered
 * from ZooKeeper and submits nothing.
 */
final class ApplicationRun {
  private static final Logger LOG = LoggerFactory.getLogger(ApplicationRun.class);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration LEADERSHIP_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration POLL = Duration.ofMillis(500);

  /** How the application ends: YARN's final status and the diagnostics it shows. */
  record Outcome(FinalApplicationStatus status, String diagnostics) {}

  private final JobManager jobManager;
  private final BlobStore blobs;
  private final Configuration config;
  private final Path jar;
  private final List<String> args;

  ApplicationRun(
      JobManager jobManager, BlobStore blobs, Configuration config, Path jar, List<String> args) {
    this.jobManager = jobManager;
    this.blobs = blobs;
    this.config = config;
    this.jar = jar;
    this.args = List.copyOf(args);
  }

  /** Submits the job (unless it was recovered) and waits until it ended. */
  Outcome run() throws InterruptedException {
    long deadline = System.nanoTime() + LEADERSHIP_TIMEOUT.toNanos();
    while (!jobManager.isLeader()) {
      if (System.nanoTime() > deadline) {
        return new Outcome(
            FinalApplicationStatus.FAILED,
            "the JobManager did not lead within " + LEADERSHIP_TIMEOUT.toMinutes() + " min");
      }
      pause();
    }
    JobId jobId;
    try {
      Optional<JobDetails> recovered =
          call(jobManager.dispatcher().listJobs()).stream().findFirst();
      if (recovered.isPresent()) {
        jobId = recovered.get().id();
        LOG.info("Job {} was recovered: following it instead of submitting again", jobId);
      } else {
        jobId = submit();
      }
    } catch (ProgramInvocationException e) {
      return new Outcome(
          FinalApplicationStatus.FAILED, "the job's main() failed: " + e.getMessage());
    } catch (IOException | ExecutionException | TimeoutException e) {
      LOG.error("Could not submit the application's job", e);
      return new Outcome(
          FinalApplicationStatus.FAILED,
          "the job could not be submitted: " + ErrorLines.firstLine(e));
    }
    return awaitEnd(jobId);
  }

  private JobId submit()
      throws IOException,
          ProgramInvocationException,
          InterruptedException,
          ExecutionException,
          TimeoutException {
    String key;
    try (InputStream in = Files.newInputStream(jar)) {
      key = blobs.put(in, jar.getFileName().toString());
    }
    ExtractedProgram program =
        JobGraphExtractor.fromConfiguration(config, ApplicationRun.class.getClassLoader())
            .extract(
                new ProgramRequest(
                    blobs.localFile(key),
                    jar.getFileName().toString(),
                    Optional.empty(),
                    args,
                    OptionalInt.empty()));
    JobId jobId =
        call(
            jobManager
                .dispatcher()
                .submitJob(
                    new JobSubmission(program.graph(), Optional.of(key), Optional.empty()),
                    program));
    LOG.info("Submitted the application's job {} ('{}')", jobId, program.graph().name());
    return jobId;
  }

  private Outcome awaitEnd(JobId jobId) throws InterruptedException {
    while (true) {
      Optional<JobDetails> job;
      try {
        job = call(jobManager.dispatcher().requestJob(jobId));
      } catch (ExecutionException | TimeoutException notNow) {
        // a leadership change in between: the next leader answers
        job = Optional.empty();
      }
      if (job.isPresent() && job.get().status().isGloballyTerminal()) {
        JobDetails ended = job.get();
        LOG.info("The application's job {} ended {}", jobId, ended.status());
        String what = "job " + jobId + " (" + ended.name() + ") " + ended.status();
        if (ended.status() == JobStatus.FINISHED) {
          return new Outcome(FinalApplicationStatus.SUCCEEDED, what);
        }
        String cause = ended.failureCause();
        return new Outcome(
            ended.status() == JobStatus.CANCELED
                ? FinalApplicationStatus.KILLED
                : FinalApplicationStatus.FAILED,
            cause == null || cause.isBlank() ? what : what + ": " + ErrorLines.firstLine(cause));
      }
      pause();
    }
  }

  private static <T> T call(CompletableFuture<T> call)
      throws InterruptedException, ExecutionException, TimeoutException {
    return call.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static void pause() {
    CompletableFuture.runAsync(
            () -> {}, CompletableFuture.delayedExecutor(POLL.toMillis(), TimeUnit.MILLISECONDS))
        .join();
  }
}

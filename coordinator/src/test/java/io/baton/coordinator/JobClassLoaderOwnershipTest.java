package io.baton.coordinator;

import static io.baton.coordinator.FakeTaskManager.Behavior.FINISH;
import static io.baton.coordinator.FakeTaskManager.Behavior.RUN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.JobId;
import io.baton.coordinator.jobmaster.JobSubmission;
import io.baton.coordinator.status.JobStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher owns a submitted job's class loader: it stays open while the job runs and is
 * closed once when the job ends or is refused, so a long-running JobManager does not hold every jar
 * it ever ran.
 */
class JobClassLoaderOwnershipTest {
  @TempDir Path blobDir;
  private JobManagerTestCluster cluster;

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Counts how often the dispatcher closed it. */
  private static final class CountingLoader implements AutoCloseable {
    final AtomicInteger closes = new AtomicInteger();

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  private JobId submit(CountingLoader loader) throws Exception {
    return cluster
        .jobManager
        .dispatcher()
        .submitJob(
            new JobSubmission(
                JobManagerTestCluster.wordCount(), Optional.of("jar"), Optional.empty()),
            loader)
        .get(5, TimeUnit.SECONDS);
  }

  @Test
  void theLoaderStaysOpenWhileTheJobRunsAndIsClosedOnceWhenItIsCancelled() throws Exception {
    cluster = new JobManagerTestCluster(blobDir, Map.of());
    cluster.addTaskManager(2).behave(r -> RUN);
    cluster.addTaskManager(2).behave(r -> RUN);
    CountingLoader loader = new CountingLoader();
    JobId id = submit(loader);
    cluster.awaitAllTasks(id, ExecutionState.RUNNING);
    assertThat(loader.closes).hasValue(0);

    cluster.jobManager.dispatcher().cancelJob(id).get(5, TimeUnit.SECONDS);
    cluster.awaitStatus(id, JobStatus.CANCELED);

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(loader.closes).hasValue(1));
  }

  @Test
  void aFinishedJobsLoaderIsClosed() throws Exception {
    cluster = new JobManagerTestCluster(blobDir, Map.of());
    cluster.addTaskManager(2).behave(r -> FINISH);
    cluster.addTaskManager(2).behave(r -> FINISH);
    CountingLoader loader = new CountingLoader();
    JobId id = submit(loader);

    cluster.awaitStatus(id, JobStatus.FINISHED);

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(loader.closes).hasValue(1));
  }

  @Test
  void aRefusedSubmissionsLoaderIsClosedAtOnce() throws Exception {
    cluster = new JobManagerTestCluster(blobDir, Map.of());
    CountingLoader loader = new CountingLoader();

    assertThatThrownBy(
            () ->
                cluster
                    .jobManager
                    .dispatcher()
                    .submitJob(
                        new JobSubmission(
                            JobManagerTestCluster.wordCount(),
                            Optional.empty(),
                            Optional.of("/no/such/savepoint")),
                        loader)
                    .get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .hasMessageStartingWith("not a savepoint or retained checkpoint: /no/such/savepoint");

    assertThat(loader.closes).hasValue(1);
  }
}

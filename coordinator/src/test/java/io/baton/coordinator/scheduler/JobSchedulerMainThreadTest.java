package io.baton.coordinator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.concurrent.SingleThreadMainThreadExecutor;
import io.baton.common.ids.JobId;
import io.baton.coordinator.metrics.JobManagerMetrics;
import io.baton.coordinator.status.JobStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The parts of a job's scheduler keep the job's state on its main thread, and say so when called
 * off it.
 */
class JobSchedulerMainThreadTest {
  private final JobId jobId = JobId.random();
  private final SingleThreadMainThreadExecutor mainThread =
      new SingleThreadMainThreadExecutor("JobMaster of job " + jobId, "baton-jobmaster-" + jobId);
  private final JobStatusTracker status =
      new JobStatusTracker(
          jobId,
          "ledger",
          mainThread,
          Clock.systemUTC(),
          new JobManagerMetrics(new SimpleMeterRegistry()));

  @AfterEach
  void stop() {
    mainThread.shutdown(Duration.ofSeconds(5));
  }

  @Test
  void changingTheJobStatusFromAnotherThreadFailsNamingTheJobAndTheThread() throws Exception {
    assertThatThrownBy(() -> status.transition(JobStatus.RUNNING))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "JobMaster of job "
                + jobId
                + " was called on thread '"
                + Thread.currentThread().getName()
                + "', but only its main thread 'baton-jobmaster-"
                + jobId
                + "' may touch its state");

    // the refused call changed nothing; on the main thread the same change goes through
    assertThat(status.status()).isEqualTo(JobStatus.CREATED);
    JobStatus after =
        mainThread
            .call(
                () -> {
                  status.transition(JobStatus.RUNNING);
                  return status.status();
                })
            .get(5, TimeUnit.SECONDS);
    assertThat(after).isEqualTo(JobStatus.RUNNING);
  }
}

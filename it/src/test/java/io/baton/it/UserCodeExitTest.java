package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.it.HaCluster.JobManagerProcess;
import io.baton.it.jobs.ExitingMainJob;
import io.baton.it.jobs.ExitingMapJob;
import io.baton.it.jobs.SchedulingJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * User code that calls System.exit does not take Baton down. In a job's main() it ends only the
 * short-lived JVM that builds the job graph: the submission is refused with one line, twice in a
 * row, while the same JobManager leads on and a running Ledger job finishes exactly once. In a map
 * function it ends its TaskManager, which reports the task FAILED on its way out, so the job fails
 * within seconds and not at the heartbeat timeout (set to ten minutes here).
 */
class UserCodeExitTest {
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration FAIL_OVER_WITHIN = Duration.ofSeconds(15);
  private static final String EXIT_LINE =
      "main() of "
          + ExitingMainJob.class.getName()
          + " called System.exit(3) before handing over a job graph";

  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  @Test
  void systemExitInMainIsRefusedAndTheLeaderAndItsJobCarryOn() throws Exception {
    HaCluster cluster =
        ha.start(
            ZooKeeperEnsemble.single(), "user-code-exit-main", workDir, SESSION_TIMEOUT, c -> c);
    JobManagerProcess leader = cluster.startTwoJobManagersAnd(2);
    String token = leader.ha().orElseThrow().leaderTokenDigest();
    LedgerJob ledger = new LedgerJob(200_000, 13, 20_000, 200, workDir.resolve("out"));
    String jobId = cluster.submitAndAwaitCheckpoint(ledger, leader, 2, 0);

    Path jar =
        TestJars.jar(
            workDir.resolve("jars"), "exits.jar", ExitingMainJob.class, ExitingMainJob.class);
    for (int attempt = 1; attempt <= 2; attempt++) {
      RestApi.Response upload = leader.rest().uploadJar(jar);
      assertThat(upload.status()).as(upload.text()).isEqualTo(200);
      long start = System.nanoTime();
      RestApi.Response run = leader.rest().run(upload.body().get("filename").asText(), 1);
      System.out.printf(
          "refused submission %d took %d ms%n", attempt, (System.nanoTime() - start) / 1_000_000);
      assertThat(run.status()).as("submission %d: %s", attempt, run.text()).isEqualTo(400);
      assertThat(run.body().get("errors")).as(run.text()).hasSize(1);
      assertThat(run.body().get("errors").get(0).asText()).isEqualTo(EXIT_LINE);
    }

    assertThat(leader.process().isAlive()).as("the leader's process").isTrue();
    HaStatus status = leader.ha().orElseThrow();
    assertThat(status.leader()).as("%s still leads", leader).isTrue();
    assertThat(status.leaderTokenDigest()).as("its fencing token").isEqualTo(token);
    JsonNode job = leader.rest().getOk("/jobs/" + jobId);
    assertThat(job.get("state").asText()).isIn("RUNNING", "FINISHED");
    assertThat(job.get("restarts").asInt()).as("restarts of the Ledger job").isZero();

    cluster.awaitJobState(jobId, "FINISHED", Duration.ofMinutes(3));
    assertThat(cluster.currentLeader()).contains(leader);
    assertThat(leader.rest().getOk("/jobs/" + jobId).get("recoveries").asInt()).isZero();
    ledger.assertExactlyOnce();
  }

  @Test
  void systemExitInAMapFunctionFailsTheJobWithinSeconds() throws Exception {
    HaCluster cluster =
        ha.start(
            ZooKeeperEnsemble.single(),
            "user-code-exit-map",
            workDir,
            SESSION_TIMEOUT,
            c ->
                c.setString("heartbeat.interval", "2 s")
                    .setString("heartbeat.timeout", "10 min")
                    .setString("restart-strategy.type", "none"));
    JobManagerProcess leader = cluster.startJobManager("jm1");
    cluster.startTaskManager("tm1", 1);
    cluster.awaitLeader(Duration.ofSeconds(90));
    cluster.awaitTaskManagers(1, Duration.ofSeconds(60));

    Path marker = workDir.resolve("exited-at");
    Path jar =
        TestJars.jar(
            workDir.resolve("jars"),
            "exiting-map.jar",
            ExitingMapJob.class,
            ExitingMapJob.class,
            SchedulingJob.class);
    String jobId = leader.rest().submit(jar, 1, "--marker", marker.toString(), "--after", "2000");
    Awaits.until(
        "the map function calling System.exit",
        Duration.ofSeconds(60),
        () -> Files.exists(marker) && !Files.readString(marker).isBlank());
    long exitedAt = Long.parseLong(Files.readString(marker).trim());

    cluster.awaitJobState(jobId, "FAILED", Duration.ofMinutes(2));
    long failedAfter = System.currentTimeMillis() - exitedAt;
    assertThat(Duration.ofMillis(failedAfter))
        .as("from System.exit in the map function to the job FAILED")
        .isLessThan(FAIL_OVER_WITHIN);
    JvmProcess taskManager = cluster.taskManagers().get(0);
    assertThat(taskManager.awaitExit(Duration.ofSeconds(10)))
        .as("the TaskManager's exit status")
        .isEqualTo(7);
    assertThat(System.currentTimeMillis() - exitedAt)
        .as("ms from System.exit to the TaskManager gone")
        .isLessThan(FAIL_OVER_WITHIN.toMillis());
    String cause = leader.rest().getOk("/jobs/" + jobId).get("failure-cause").asText();
    assertThat(cause).contains("called System.exit");
    assertThat(leader.isLive()).as("the JobManager").isTrue();
  }
}

package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.common.config.Configuration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TaskManager process killed with SIGKILL in the middle of a Ledger: the job restarts on the
 * remaining slots (from its latest completed checkpoint when it takes checkpoints, from the start
 * when it does not) and its output holds every event exactly once.
 */
class TaskManagerKillTest {
  @TempDir Path workDir;
  private LocalCluster cluster;
  private final List<JvmProcess> taskManagers = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (JvmProcess tm : taskManagers) {
      tm.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void jobRestartsOnRemainingSlotsFromACheckpointAndFinishesWithoutLossOrDuplicates()
      throws Exception {
    String jobId = runLedgerAndKillATaskManager(config -> config, 200);

    JsonNode restored =
        cluster.rest().getOk("/jobs/" + jobId + "/checkpoints").path("latest").path("restored");
    assertThat(restored.path("id").asLong())
        .as("the checkpoint the job restored from, not from scratch: %s", restored)
        .isPositive();
  }

  /**
   * With the heartbeat timeout far away, only the refused calls to the dead TaskManager can release
   * it: otherwise the job would cancel into it and redeploy into its slots until its restarts run
   * out, as the shipped three restarts did under the 50 s default.
   */
  @Test
  void aKilledTaskManagerIsReleasedWithoutWaitingForTheHeartbeatTimeout() throws Exception {
    runLedgerAndKillATaskManager(
        config ->
            config
                .setString("heartbeat.interval", "2 s")
                .setString("heartbeat.timeout", "10 min")
                .setString("restart-strategy.type", "fixed-delay")
                .setString("restart-strategy.fixed-delay.attempts", "3")
                .setString("restart-strategy.fixed-delay.delay", "2 s"),
        0);
  }

  /**
   * Runs the Ledger on three TaskManagers, checkpointing every {@code checkpointIntervalMs} (none
   * when 0), kills one with SIGKILL while the job runs (after a first checkpoint when it takes
   * them) and asserts that the dead one is released and the output holds every event exactly once.
   * Returns the job id.
   */
  private String runLedgerAndKillATaskManager(
      UnaryOperator<Configuration> settings, int checkpointIntervalMs) throws Exception {
    cluster =
        LocalCluster.start(
            workDir,
            0,
            2,
            config ->
                settings.apply(
                    config.setString(
                        "state.checkpoints.dir",
                        workDir.resolve("checkpoints").toUri().toString())));
    for (int i = 0; i < 3; i++) {
      taskManagers.add(cluster.startTaskManagerProcess("tm" + i, 2, List.of("-Xmx256m")));
    }
    cluster.awaitTaskManagers(3);

    LedgerJob ledger =
        new LedgerJob(300_000, 11, 20_000, checkpointIntervalMs, workDir.resolve("ledger-out"));
    String jobId = ledger.submit(cluster.rest(), 4);
    Awaits.jobState(cluster.rest(), jobId, "RUNNING", Duration.ofSeconds(60));
    Awaits.until("records flowing", Duration.ofSeconds(30), () -> recordsWritten(jobId) > 20_000);
    if (checkpointIntervalMs > 0) {
      Awaits.until(
          "a checkpoint of " + jobId + " completed",
          Duration.ofSeconds(30),
          () ->
              cluster
                      .rest()
                      .getOk("/jobs/" + jobId + "/checkpoints")
                      .get("counts")
                      .get("completed")
                      .asInt()
                  >= 1);
    }

    // with 4 slots needed out of 3 x 2, every TaskManager runs some of the job's tasks; the kill
    // must land while they run, or nothing would ever call the dead TaskManager again
    JvmProcess victim = taskManagers.get(0);
    victim.kill();
    // the JobManager may notice the death before this read (at once when a checkpoint is being
    // triggered) and restart the job: what matters is that it had not ended
    assertThat(cluster.rest().jobState(jobId))
        .as("the job when its TaskManager died")
        .isNotIn("FINISHED", "FAILED", "CANCELED");

    Awaits.until(
        "the dead TaskManager released",
        Duration.ofSeconds(30),
        () -> cluster.rest().getOk("/overview").get("taskmanagers").asInt() == 2);
    Awaits.jobState(cluster.rest(), jobId, "FINISHED", Duration.ofMinutes(3));

    ledger.assertExactlyOnce();
    return jobId;
  }

  private long recordsWritten(String jobId) {
    long sum = 0;
    for (var vertex : cluster.rest().getOk("/jobs/" + jobId).get("vertices")) {
      sum += vertex.get("metrics").get("write-records").asLong();
    }
    return sum;
  }
}

package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TaskManager processes killed with SIGKILL under a checkpointed Ledger: the job comes back from
 * its latest completed checkpoint — or from the one before when the latest is damaged.
 */
class CheckpointRecoveryTest {
  private static final long EVENTS = 240_000;
  private static final int KEYS = 17;

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
  void killedTaskManagerIsRecoveredFromTheLatestCheckpoint() throws Exception {
    String jobId = startLedger(200);
    awaitCompletedCheckpoints(jobId, 2);

    taskManagers.get(0).kill();

    Awaits.jobState(cluster.rest(), jobId, "FINISHED", Duration.ofMinutes(3));
    JsonNode restored = checkpoints(jobId).get("latest").get("restored");
    assertThat(restored).as("restored from a checkpoint, not from scratch").isNotNull();
    assertThat(restored.get("id").asLong()).isPositive();
    LedgerVerifier.assertExactlyOnce(workDir.resolve("out"), EVENTS, KEYS);
  }

  @Test
  void damagedLatestCheckpointFallsBackToThePreviousOne() throws Exception {
    String jobId = startLedger(1000);
    awaitCompletedCheckpoints(jobId, 3);

    // RESTARTING aborts the pending checkpoints, so the latest stays the latest; the long restart
    // delay keeps the restore from choosing before the damage below is in place
    taskManagers.get(0).kill();
    Awaits.jobState(cluster.rest(), jobId, "RESTARTING", Duration.ofSeconds(60));
    JsonNode latest = checkpoints(jobId).get("latest").get("completed");
    long damagedId = latest.get("id").asLong();
    Path damaged = Path.of(URI.create(latest.get("external_path").asText()));
    try (Stream<Path> files = Files.list(damaged)) {
      Path stateFile =
          files
              .filter(f -> !f.getFileName().toString().equals("_metadata"))
              .findFirst()
              .orElseThrow();
      Files.write(stateFile, new byte[] {1, 2, 3});
    }
    assertThat(cluster.rest().jobState(jobId))
        .as("the job still waits to restart once the checkpoint is damaged")
        .isEqualTo("RESTARTING");

    // the history keeps the latest ten checkpoints, so read it right after the restore
    Awaits.until(
        "restored from a checkpoint before " + damagedId,
        Duration.ofSeconds(60),
        () -> {
          JsonNode restored = checkpoints(jobId).get("latest").get("restored");
          return !restored.isNull() && restored.get("id").asLong() < damagedId;
        });
    JsonNode skipped = null;
    for (JsonNode entry : checkpoints(jobId).get("history")) {
      if (entry.get("id").asLong() == damagedId) {
        skipped = entry.get("skipped_on_restore");
      }
    }
    assertThat(skipped).as("the history says why checkpoint %d was skipped", damagedId).isNotNull();
    assertThat(skipped.asText()).contains("expected");
    Awaits.jobState(cluster.rest(), jobId, "FINISHED", Duration.ofMinutes(3));
    LedgerVerifier.assertExactlyOnce(workDir.resolve("out"), EVENTS, KEYS);
  }

  private String startLedger(int checkpointIntervalMs) throws Exception {
    cluster =
        LocalCluster.start(
            workDir,
            0,
            2,
            config ->
                config
                    .setString(
                        "state.checkpoints.dir", workDir.resolve("checkpoints").toUri().toString())
                    .setString("state.checkpoints.num-retained", "3")
                    .setString("restart-strategy.type", "fixed-delay")
                    .setString("restart-strategy.fixed-delay.attempts", "3")
                    .setString("restart-strategy.fixed-delay.delay", "10s"));
    for (int i = 0; i < 3; i++) {
      taskManagers.add(cluster.startTaskManagerProcess("tm" + i, 2, List.of("-Xmx256m")));
    }
    cluster.awaitTaskManagers(3);
    String jobId =
        cluster
            .rest()
            .submit(
                TestJars.examplesJar(),
                4,
                "ledger",
                "--events",
                Long.toString(EVENTS),
                "--keys",
                Integer.toString(KEYS),
                "--rate",
                "20000",
                "--checkpoint-interval",
                Integer.toString(checkpointIntervalMs),
                "--output",
                workDir.resolve("out").toString());
    Awaits.jobState(cluster.rest(), jobId, "RUNNING", Duration.ofSeconds(60));
    return jobId;
  }

  private void awaitCompletedCheckpoints(String jobId, int count) {
    Awaits.until(
        count + " checkpoints completed",
        Duration.ofSeconds(60),
        () -> checkpoints(jobId).get("counts").get("completed").asInt() >= count);
  }

  private JsonNode checkpoints(String jobId) {
    return cluster.rest().getOk("/jobs/" + jobId + "/checkpoints");
  }
}

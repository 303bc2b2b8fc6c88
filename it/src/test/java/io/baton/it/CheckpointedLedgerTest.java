package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ledger with checkpoints every 200 ms on local storage: failures on purpose, a savepoint taken,
 * the job cancelled and resumed at another parallelism — and every event is in the output exactly
 * once with the right running sum.
 */
class CheckpointedLedgerTest {
  @TempDir static Path workDir;
  private static LocalCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster =
        LocalCluster.start(
            workDir,
            2,
            2,
            config ->
                config
                    .setString(
                        "state.checkpoints.dir", workDir.resolve("checkpoints").toUri().toString())
                    .setString(
                        "state.savepoints.dir", workDir.resolve("savepoints").toUri().toString())
                    .setString("restart-strategy.fixed-delay.attempts", "10"));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void deliberateFailuresLoseAndDuplicateNothing() throws Exception {
    Path output = workDir.resolve("failures-out");
    long events = 200_000;
    int keys = 13;
    String jobId =
        cluster
            .rest()
            .submit(
                TestJars.examplesJar(),
                4,
                "ledger",
                "--events",
                Long.toString(events),
                "--keys",
                Integer.toString(keys),
                "--rate",
                "40000",
                "--checkpoint-interval",
                "200",
                "--failures",
                "3",
                "--seed",
                "7",
                "--output",
                output.toString());
    Awaits.jobState(cluster.rest(), jobId, "FINISHED", Duration.ofMinutes(3));

    LedgerVerifier.assertExactlyOnce(output, events, keys);
    JsonNode job = cluster.rest().getOk("/jobs/" + jobId);
    assertThat(job.get("restarts").asInt()).as("one restart per deliberate failure").isEqualTo(3);
    JsonNode checkpoints = cluster.rest().getOk("/jobs/" + jobId + "/checkpoints");
    assertThat(checkpoints.get("counts").get("completed").asInt()).isPositive();
    assertThat(checkpoints.get("counts").get("restored").asInt())
        .as("restores from checkpoints, not from scratch")
        .isPositive();
  }

  @Test
  void savepointCancelAndResumeAtAnotherParallelismKeepsEveryEventOnce() throws Exception {
    rescaleThroughSavepoint(4, 2, "4-to-2");
    rescaleThroughSavepoint(2, 4, "2-to-4");
  }

  private static void rescaleThroughSavepoint(int from, int to, String name) throws Exception {
    Path output = workDir.resolve("rescale-" + name);
    long events = 150_000;
    int keys = 29;
    String[] args = {
      "ledger",
      "--events",
      Long.toString(events),
      "--keys",
      Integer.toString(keys),
      "--rate",
      "20000",
      "--checkpoint-interval",
      "200",
      "--output",
      output.toString()
    };
    RestApi rest = cluster.rest();
    String jarId = rest.upload(TestJars.examplesJar());
    String first = rest.run(jarId, from, args).body().get("jobid").asText();
    Awaits.jobState(rest, first, "RUNNING", Duration.ofSeconds(60));
    Awaits.until(
        "some events through", Duration.ofSeconds(60), () -> recordsWritten(first) > 20_000);

    String savepoint =
        rest.savepoint(
            first, workDir.resolve("savepoints").toUri().toString(), true, Duration.ofSeconds(60));
    Awaits.jobState(rest, first, "CANCELED", Duration.ofSeconds(60));
    assertThat(recordsWritten(first)).as("cancelled before the end").isLessThan(events);
    // cancelling deleted the job's checkpoints: the savepoint stands on its own
    assertThat(workDir.resolve("checkpoints").resolve(first)).doesNotExist();

    String second = rest.runFromSavepoint(jarId, to, savepoint, args);
    Awaits.jobState(rest, second, "FINISHED", Duration.ofMinutes(3));
    assertThat(
            rest.getOk("/jobs/" + second + "/checkpoints")
                .get("latest")
                .get("restored")
                .get("external_path")
                .asText())
        .isEqualTo(savepoint);
    LedgerVerifier.assertExactlyOnce(output, events, keys);
  }

  private static long recordsWritten(String jobId) {
    return cluster
        .rest()
        .getOk("/jobs/" + jobId)
        .get("vertices")
        .get(0)
        .get("metrics")
        .get("write-records")
        .asLong();
  }
}

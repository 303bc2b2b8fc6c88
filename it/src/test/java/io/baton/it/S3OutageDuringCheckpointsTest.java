package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.it.HaCluster.JobManagerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 endpoint holding the checkpoints and {@code high-availability.storageDir} goes away (its
 * process killed) while Ledger runs on an HA cluster, and comes back on the same port with the same
 * objects a while later. Meanwhile checkpoints fail, each with its reason in the checkpoint
 * history, and are counted against {@code execution.checkpointing.tolerable-failed-checkpoints};
 * the job keeps running (no restart, no recovery). Once S3 is back checkpoints complete again, the
 * job finishes, and its output holds every event exactly once.
 */
class S3OutageDuringCheckpointsTest {
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);
  private static final String ROOT = "s3://baton/outage";

  @TempDir Path workDir;
  private S3ProxyProcess s3;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  @Test
  void checkpointsFailWhileS3IsDownAndTheJobLivesOn() throws Exception {
    HaCluster cluster =
        ha.start(
            ZooKeeperEnsemble.single(),
            "s3-outage",
            workDir,
            SESSION_TIMEOUT,
            config -> {
              for (Map.Entry<String, String> e : s3.configuration().toMap().entrySet()) {
                config.setString(e.getKey(), e.getValue());
              }
              return config
                  .setString("high-availability.storageDir", ROOT + "/ha")
                  .setString("state.checkpoints.dir", ROOT + "/checkpoints")
                  .setString("execution.checkpointing.tolerable-failed-checkpoints", "1000")
                  .setString("execution.checkpointing.timeout", "20 s");
            });
    // the processes read their S3 settings when they start, after this
    s3 =
        ha.closeAfterCluster(
            S3ProxyProcess.startOnDisk(cluster.logDir(), workDir.resolve("s3-data"), "baton"));
    JobManagerProcess leader = cluster.startTwoJobManagersAnd(2);

    LedgerJob ledger = new LedgerJob(100_000, 13, 10_000, 300, workDir.resolve("out"));
    String jobId = ledger.submit(leader.rest(), 4);
    LeaderReads.awaitState(cluster, jobId, "RUNNING", Duration.ofSeconds(60));
    long beforeOutage = cluster.awaitCheckpointAfter(jobId, 0, Duration.ofSeconds(60));

    s3.stop();
    // checkpoints run one at a time: once one failed for want of S3, none after it can complete
    // until S3 is back, and with bounded input the sources cannot end without a checkpoint either
    List<JsonNode> failed = new ArrayList<>();
    Awaits.until(
        "two checkpoints of " + jobId + " failed while S3 is down",
        Duration.ofSeconds(90),
        () -> {
          failed.clear();
          for (JsonNode entry : cluster.checkpoints(jobId).get("history")) {
            if (entry.get("status").asText().equals("FAILED")
                && entry.get("id").asLong() > beforeOutage) {
              failed.add(entry);
            }
          }
          return failed.size() >= 2;
        });
    JsonNode duringOutage = cluster.checkpoints(jobId);
    long firstFailed = failed.stream().mapToLong(f -> f.get("id").asLong()).min().orElseThrow();
    assertThat(HaCluster.latestCompletedCheckpoint(duringOutage))
        .as("the latest completed checkpoint while S3 is down: %s", duringOutage)
        .isLessThan(firstFailed);
    assertThat(failed)
        .as("failed checkpoints name where they could not write")
        .allSatisfy(
            f ->
                assertThat(f.get("failure_message").asText())
                    .contains(ROOT + "/checkpoints/" + jobId + "/chk-" + f.get("id").asLong()));
    assertThat(failed)
        .as("failed checkpoints say why")
        .anySatisfy(
            f ->
                assertThat(f.get("failure_message").asText())
                    .contains("cannot reach S3 at " + s3.endpoint()));
    assertThat(duringOutage.get("counts").get("failed").asInt()).isGreaterThanOrEqualTo(2);
    JsonNode job = cluster.job(jobId);
    assertThat(job.get("state").asText()).as("while S3 is down: %s", job).isEqualTo("RUNNING");
    assertThat(job.get("restarts").asInt()).as("restarts while S3 is down").isZero();

    s3.restart();
    long lastFailed = failed.stream().mapToLong(f -> f.get("id").asLong()).max().orElseThrow();
    long afterOutage = cluster.awaitCheckpointAfter(jobId, lastFailed, Duration.ofSeconds(90));
    LeaderReads.awaitState(cluster, jobId, "FINISHED", Duration.ofMinutes(3));

    job = cluster.job(jobId);
    assertThat(job.get("restarts").asInt()).as("restarts: %s", job).isZero();
    assertThat(job.get("recoveries").asInt()).as("recoveries: %s", job).isZero();
    assertThat(cluster.checkpoints(jobId).get("counts").get("completed").asInt())
        .as("checkpoints completed before and after the outage (the last: %d)", afterOutage)
        .isGreaterThanOrEqualTo(2);
    ledger.assertExactlyOnce();
  }
}

package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.it.HaCluster.JobManagerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Never a silent replay: a Ledger on two JobManagers and two TaskManagers, its retained checkpoints
 * damaged (a truncated {@code _metadata}, or a garbled pointer in ZooKeeper) while both JobManagers
 * are frozen, then the leader killed with SIGKILL. The standby that takes over either restores from
 * an intact checkpoint and the output holds every event exactly once, or — when none is intact —
 * fails the job with one line naming the damaged checkpoints, and the output holds nothing twice.
 */
class DamagedCheckpointsTest {
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);

  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  private HaCluster cluster;
  private LedgerJob ledger;
  private String jobId;

  @Test
  void theOnlyRetainedCheckpointDamagedFailsTheJobInsteadOfReplayingItsOutput() throws Exception {
    runUntilRetained(1);

    // as the shipped conf before: one retained (more only while the leader was frozen mid-way)
    List<Long> damaged = failOverAfter(retained -> retained.forEach(this::truncateMetadata));

    JsonNode job = awaitFailedWithOneLine();
    assertThat(job.get("failure-cause").asText())
        .containsPattern(namedDamaged(damaged.get(0)))
        .contains("_metadata");
    assertNothingWrittenTwiceAndNotRunAgain(damaged);
  }

  @Test
  void theLatestOfThreeDamagedRestoresTheOneBeforeExactlyOnce() throws Exception {
    runUntilRetained(3);

    List<Long> retained = failOverAfter(newestFirst -> truncateMetadata(newestFirst.get(0)));

    JsonNode restoredFrom = LeaderReads.awaitRestoredFrom(cluster, jobId, Duration.ofSeconds(60));
    assertThat(restoredFrom.get("checkpointId").asLong()).isEqualTo(retained.get(1));
    LeaderReads.awaitState(cluster, jobId, "FINISHED", Duration.ofMinutes(3));
    ledger.assertExactlyOnce();
  }

  @Test
  void allThreeDamagedFailsTheJobWithOneLineNamingEach() throws Exception {
    runUntilRetained(3);

    List<Long> damaged = failOverAfter(retained -> retained.forEach(this::truncateMetadata));

    JsonNode job = awaitFailedWithOneLine();
    assertThat(damaged).hasSizeGreaterThanOrEqualTo(3);
    for (long id : damaged) {
      assertThat(job.get("failure-cause").asText()).containsPattern(namedDamaged(id));
    }
    assertNothingWrittenTwiceAndNotRunAgain(damaged);
  }

  @Test
  void aGarbledPointerIsPassedOverLikeADamagedCheckpoint() throws Exception {
    runUntilRetained(2);

    List<Long> retained =
        failOverAfter(
            newestFirst ->
                ha.zooKeeper()
                    .client()
                    .setData()
                    .forPath(
                        pointerPath(newestFirst.get(0)),
                        "not a pointer".getBytes(StandardCharsets.UTF_8)));
    long newest = retained.get(0);

    JsonNode restoredFrom = LeaderReads.awaitRestoredFrom(cluster, jobId, Duration.ofSeconds(60));
    assertThat(restoredFrom.get("checkpointId").asLong()).isEqualTo(retained.get(1));
    // the history keeps the latest ten checkpoints, so read it right after the restore
    JsonNode skipped = null;
    for (JsonNode entry : cluster.checkpoints(jobId).get("history")) {
      if (entry.get("id").asLong() == newest) {
        skipped = entry.get("skipped_on_restore");
      }
    }
    assertThat(skipped).as("the history says why checkpoint %d was skipped", newest).isNotNull();
    assertThat(skipped.asText()).contains("its pointer cannot be read").contains("not a pointer");
    LeaderReads.awaitState(cluster, jobId, "FINISHED", Duration.ofMinutes(3));
    assertThat(cluster.job(jobId).get("recoveries").asInt()).isEqualTo(1);
    ledger.assertExactlyOnce();
  }

  /**
   * What a test does to the stored checkpoints while both JobManagers are frozen, given their ids
   * newest first as ZooKeeper names them then.
   */
  @FunctionalInterface
  private interface Damage {
    void apply(List<Long> newestFirst) throws Exception;
  }

  /**
   * Starts the cluster with {@code numRetained}, submits the Ledger (a checkpoint a second) and
   * waits until that many checkpoints are retained.
   */
  private void runUntilRetained(int numRetained) throws Exception {
    cluster =
        ha.start(
            ZooKeeperEnsemble.single(),
            "damaged-checkpoints",
            workDir,
            SESSION_TIMEOUT,
            // about restoring from a checkpoint: the new leader restarts the tasks, not adopts
            c ->
                c.setString("state.checkpoints.num-retained", Integer.toString(numRetained))
                    .setString("jobmanager.failover.reconcile", "false"));
    JobManagerProcess leader = cluster.startTwoJobManagersAnd(2);
    ledger = new LedgerJob(200_000, 17, 10_000, 1000, workDir.resolve("out"));
    jobId = ledger.submit(leader.rest(), 4);
    LeaderReads.awaitState(cluster, jobId, "RUNNING", Duration.ofSeconds(60));
    Awaits.until(
        numRetained + " checkpoints of " + jobId + " retained",
        Duration.ofSeconds(90),
        () -> storedCheckpoints().size() >= numRetained);
  }

  /**
   * Freezes both JobManagers (the leader completes and retires no checkpoint, the standby cannot
   * choose one before the damage is in place), damages the checkpoints retained then, kills the
   * leader with SIGKILL and waits for the standby to lead. Returns those checkpoints, newest first.
   */
  private List<Long> failOverAfter(Damage damage) throws Exception {
    JobManagerProcess leader = cluster.awaitLeader(Duration.ofSeconds(30));
    JobManagerProcess standby =
        cluster.liveJobManagers().stream().filter(jm -> jm != leader).findFirst().orElseThrow();
    String token = LeaderReads.leaderTokenDigest(leader, Duration.ofSeconds(30));
    standby.pause();
    leader.pause();
    List<Long> retained = storedCheckpoints();
    damage.apply(retained);
    leader.kill();
    standby.resume();
    JobManagerProcess successor =
        cluster.awaitNewLeader(token, SESSION_TIMEOUT.plus(Duration.ofSeconds(60)));
    assertThat(successor).isSameAs(standby);
    return retained;
  }

  /** Waits for FAILED on the new leader; its {@code failure-cause} is one line without frames. */
  private JsonNode awaitFailedWithOneLine() {
    LeaderReads.awaitState(cluster, jobId, "FAILED", Duration.ofMinutes(2));
    JsonNode job = cluster.job(jobId);
    String cause = job.get("failure-cause").asText();
    assertThat(cause)
        .as("failure-cause of %s", jobId)
        .doesNotContain("\n")
        .doesNotContainPattern("\\bat [\\w.$]+\\(")
        .startsWith("Job " + jobId + " is not resumed: it completed checkpoints before")
        .contains("would write that output twice")
        .endsWith(
            "resume it from a savepoint or a retained checkpoint with 'baton run -s <path>', or"
                + " clear its output and submit it again");
    assertThat(job.get("restarts").asInt()).as("no restart attempted").isZero();
    return job;
  }

  /**
   * The verifier finds events missing (the job stopped) but none twice; the job's result is
   * recorded, so no later leader runs it, and the directories of its damaged checkpoints stay for
   * the user to look at (only their pointers go with the job, as for any job that ended).
   */
  private void assertNothingWrittenTwiceAndNotRunAgain(List<Long> damaged) throws Exception {
    LedgerVerifier.Result verdict = LedgerVerifier.verify(ledger.output(), ledger.events(), 17);
    assertThat(verdict.output()).matches("lost=\\d+ duplicated=0");
    String root = cluster.clusterPath();
    assertThat(ha.zooKeeper().data(root + "/job-results/" + jobId))
        .as("the FAILED result in the job result store")
        .isNotNull();
    assertThat(ha.zooKeeper().data(root + "/jobgraphs/" + jobId))
        .as("the job graph, which a later leader would recover")
        .isNull();
    for (long id : damaged) {
      assertThat(checkpointDir(id).resolve("_metadata")).as("checkpoint %d", id).exists();
    }
  }

  /** The checkpoint ids the completed checkpoint store names in ZooKeeper, newest first. */
  private List<Long> storedCheckpoints() throws Exception {
    return ha.zooKeeper().tree(cluster.clusterPath() + "/checkpoints/" + jobId).keySet().stream()
        .map(path -> path.substring(path.lastIndexOf('/') + 1))
        .filter(name -> name.length() == 19 && name.chars().allMatch(Character::isDigit))
        .map(Long::parseLong)
        .sorted(Comparator.reverseOrder())
        .toList();
  }

  private String pointerPath(long checkpointId) {
    return cluster.clusterPath()
        + "/checkpoints/"
        + jobId
        + "/"
        + String.format("%019d", checkpointId);
  }

  private Path checkpointDir(long id) {
    return workDir.resolve("checkpoints").resolve(jobId).resolve("chk-" + id);
  }

  /** How the failure cause names a damaged checkpoint: its id, its directory and why. */
  private String namedDamaged(long id) {
    return "checkpoint " + id + " at file:/+\\S*/" + jobId + "/chk-" + id + "/? \\(";
  }

  /** Cuts {@code _metadata} to half its length, as a crash mid-write on a lax store would. */
  private void truncateMetadata(long id) {
    Path metadata = checkpointDir(id).resolve("_metadata");
    try {
      byte[] bytes = Files.readAllBytes(metadata);
      Files.write(metadata, Arrays.copyOf(bytes, bytes.length / 2));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot damage " + metadata, e);
    }
  }
}

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
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Never a silent replay: a Ledger on two JobManagers and two TaskManagers, its retained checkpoints
 * damaged (a garbled pointer in ZooKeeper, a truncated {@code _metadata}, a garbled state file)
 * while both JobManagers are frozen, then the leader killed with SIGKILL. The standby that takes
 * over either restores from the newest intact checkpoint and the output holds every event exactly
 * once, or — when none is intact — fails the job with one line naming the damaged checkpoints, and
 * the output holds nothing twice. (A restart after a TaskManager failure picks its checkpoint the
 * same way as a new leader does, so these cases are not repeated for it; files deleted rather than
 * damaged are {@link DeletedCheckpointFilesTest}.)
 */
class DamagedCheckpointsTest {
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);

  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  private HaCluster cluster;
  private LedgerJob ledger;
  private String jobId;

  @Test
  void theNewestIntactCheckpointIsRestoredPastEachKindOfDamageExactlyOnce() throws Exception {
    runUntilRetained(5);

    List<Long> retained =
        failOverAfter(
            newestFirst -> {
              garblePointer(newestFirst.get(0));
              truncateMetadata(newestFirst.get(1));
              garbleAStateFile(newestFirst.get(2));
            });

    JsonNode restoredFrom = LeaderReads.awaitRestoredFrom(cluster, jobId, Duration.ofSeconds(60));
    assertThat(restoredFrom.get("checkpointId").asLong())
        .as("restored from the newest intact one of %s (the three newest damaged)", retained)
        .isEqualTo(retained.get(3));
    Map<Long, String> skipped = LeaderReads.skippedOnRestore(cluster, jobId);
    assertThat(skipped.get(retained.get(0)))
        .as("why the history says checkpoint %d (pointer garbled) was skipped", retained.get(0))
        .contains("its pointer cannot be read")
        .contains("not a pointer");
    assertThat(skipped.get(retained.get(1)))
        .as("why the history says checkpoint %d (_metadata truncated) was skipped", retained.get(1))
        .contains("_metadata");
    assertThat(skipped.get(retained.get(2)))
        .as(
            "why the history says checkpoint %d (a state file garbled) was skipped",
            retained.get(2))
        .contains("expected");
    assertThat(skipped).as("checkpoints skipped on restore").doesNotContainKey(retained.get(3));
    LeaderReads.awaitState(cluster, jobId, "FINISHED", Duration.ofMinutes(3));
    assertThat(cluster.job(jobId).get("recoveries").asInt()).isEqualTo(1);
    ledger.assertExactlyOnce();
  }

  @Test
  void everyRetainedCheckpointDamagedFailsTheJobWithOneLineNamingEach() throws Exception {
    runUntilRetained(3);

    List<Long> damaged = failOverAfter(retained -> retained.forEach(this::truncateMetadata));

    JsonNode job = awaitFailedWithOneLine();
    assertThat(damaged).hasSizeGreaterThanOrEqualTo(3);
    for (long id : damaged) {
      assertThat(job.get("failure-cause").asText())
          .containsPattern(namedDamaged(id))
          .contains("_metadata");
    }
    assertNothingWrittenTwiceAndNotRunAgain(damaged);
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

  /** Overwrites the checkpoint's pointer in ZooKeeper with text that is no pointer. */
  private void garblePointer(long id) throws Exception {
    ha.zooKeeper()
        .client()
        .setData()
        .forPath(pointerPath(id), "not a pointer".getBytes(StandardCharsets.UTF_8));
  }

  /** Overwrites one state file of the checkpoint with three bytes, as a bit-rotted disk might. */
  private void garbleAStateFile(long id) throws IOException {
    try (Stream<Path> files = Files.list(checkpointDir(id))) {
      Path stateFile =
          files
              .filter(f -> !f.getFileName().toString().equals("_metadata"))
              .sorted()
              .findFirst()
              .orElseThrow();
      Files.write(stateFile, new byte[] {1, 2, 3});
    }
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

package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.it.HaCluster.JobManagerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files of the latest completed checkpoints deleted under a running Ledger on an HA cluster: the
 * whole directory of the newest, one state file of the one before. The leader is then killed with
 * SIGKILL; the standby that takes over passes both over, restores from the newest checkpoint that
 * is still complete, says in the checkpoint history why it skipped the others, and the output holds
 * every event exactly once. (Checkpoints damaged rather than deleted are {@link
 * DamagedCheckpointsTest}.)
 */
class DeletedCheckpointFilesTest {
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);

  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  @Test
  void newLeaderFallsBackToTheNewestCompleteCheckpoint() throws Exception {
    HaCluster cluster =
        ha.start(
            ZooKeeperEnsemble.single(),
            "deleted-checkpoint-files",
            workDir,
            SESSION_TIMEOUT,
            // about restoring from a checkpoint: the new leader restarts the tasks, not adopts
            c ->
                c.setString("state.checkpoints.num-retained", "3")
                    .setString("jobmanager.failover.reconcile", "false"));
    JobManagerProcess leader = cluster.startTwoJobManagersAnd(2);
    JobManagerProcess standby =
        cluster.liveJobManagers().stream().filter(jm -> jm != leader).findFirst().orElseThrow();

    // checkpoints every second: the history (ten entries) still names the skipped ones for a good
    // while after the restore
    LedgerJob ledger = new LedgerJob(200_000, 17, 10_000, 1000, workDir.resolve("out"));
    String jobId = ledger.submit(leader.rest(), 4);
    LeaderReads.awaitState(cluster, jobId, "RUNNING", Duration.ofSeconds(60));
    Awaits.until(
        "three checkpoints of " + jobId + " retained",
        Duration.ofSeconds(90),
        () -> storedCheckpoints(jobId).size() >= 3);

    // Both JobManagers frozen while the files go: the leader can complete no newer checkpoint,
    // the standby cannot choose one before the damage is in place. The tasks run on meanwhile.
    String token = LeaderReads.leaderTokenDigest(leader, Duration.ofSeconds(30));
    standby.pause();
    leader.pause();
    List<Long> retained = storedCheckpoints(jobId);
    long newest = retained.get(0);
    long second = retained.get(1);
    long intact = retained.get(2);
    deleteRecursively(checkpointDir(jobId, newest));
    Path deletedStateFile;
    try (Stream<Path> files = Files.list(checkpointDir(jobId, second))) {
      deletedStateFile =
          files
              .filter(f -> !f.getFileName().toString().equals("_metadata"))
              .sorted()
              .findFirst()
              .orElseThrow();
    }
    Files.delete(deletedStateFile);

    leader.kill();
    standby.resume();
    JobManagerProcess successor =
        cluster.awaitNewLeader(token, SESSION_TIMEOUT.plus(Duration.ofSeconds(60)));
    assertThat(successor).isSameAs(standby);
    Awaits.until(
        successor + " recovered the job",
        Duration.ofSeconds(60),
        () -> cluster.job(jobId).get("recoveries").asInt() == 1);

    JsonNode restoredFrom = LeaderReads.awaitRestoredFrom(cluster, jobId, Duration.ofSeconds(60));
    assertThat(restoredFrom.get("checkpointId").asLong())
        .as(
            "restored from the newest complete one of %s (%d and %d damaged)",
            retained, newest, second)
        .isEqualTo(intact)
        .isLessThan(second);
    assertThat(restoredFrom.get("path").asText()).endsWith("/chk-" + intact);
    Map<Long, String> skipped = LeaderReads.skippedOnRestore(cluster, jobId);
    assertThat(skipped.get(newest))
        .as("why the history says checkpoint %d (directory deleted) was skipped", newest)
        .isNotBlank()
        .contains("_metadata");
    assertThat(skipped.get(second))
        .as("why the history says checkpoint %d (a state file deleted) was skipped", second)
        .isNotBlank()
        .contains(deletedStateFile.getFileName().toString());
    assertThat(skipped).as("checkpoints skipped on restore").doesNotContainKey(intact);

    LeaderReads.awaitState(cluster, jobId, "FINISHED", Duration.ofMinutes(3));
    assertThat(cluster.job(jobId).get("recoveries").asInt()).isEqualTo(1);
    ledger.assertExactlyOnce();
  }

  /** The checkpoint ids the completed checkpoint store names in ZooKeeper, newest first. */
  private List<Long> storedCheckpoints(String jobId) throws Exception {
    HaCluster cluster = ha.cluster();
    ZooKeeperEnsemble zooKeeper = ha.zooKeeper();
    return zooKeeper.tree(cluster.clusterPath() + "/checkpoints/" + jobId).keySet().stream()
        .map(path -> path.substring(path.lastIndexOf('/') + 1))
        .filter(name -> name.length() == 19 && name.chars().allMatch(Character::isDigit))
        .map(Long::parseLong)
        .sorted(Comparator.reverseOrder())
        .toList();
  }

  private Path checkpointDir(String jobId, long id) {
    return workDir.resolve("checkpoints").resolve(jobId).resolve("chk-" + id);
  }

  private static void deleteRecursively(Path dir) throws Exception {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}

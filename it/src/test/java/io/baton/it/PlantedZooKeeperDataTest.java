package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.it.HaCluster.JobManagerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Someone with write access to ZooKeeper plants data there. Pointers naming a file outside the HA
 * storage directory (a job graph, a checkpoint), then the leader SIGKILLed: the new leader refuses
 * them with one line naming the znode and the file, leaves the file alone, and recovers the real
 * job. Garbage written into {@code leader/info}: within seconds the leader has written it again, so
 * {@code baton list} and the standby's {@code GET /ha} name the leader.
 */
class PlantedZooKeeperDataTest {
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);

  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  @Test
  void pointersOutsideTheStorageDirAreRefusedAfterFailoverAndTheRealJobRecovers() throws Exception {
    HaCluster cluster =
        ha.start(
            ZooKeeperEnsemble.single(),
            "planted-pointers",
            workDir,
            SESSION_TIMEOUT,
            // the planted pointers are met on the restore: the new leader restarts, not adopts
            c -> c.setString("jobmanager.failover.reconcile", "false"));
    ZooKeeperEnsemble zooKeeper = ha.zooKeeper();
    JobManagerProcess leader = cluster.startTwoJobManagersAnd(1);
    LedgerJob ledger = new LedgerJob(60_000, 11, 5_000, 500, workDir.resolve("out"));
    String jobId = ledger.submit(leader.rest(), 2);
    LeaderReads.awaitState(cluster, jobId, "RUNNING", Duration.ofSeconds(60));
    cluster.awaitCheckpointAfter(jobId, 0, Duration.ofSeconds(60));

    // A file the JobManager can read and delete, outside high-availability.storageDir.
    Path hostname =
        Files.writeString(
            Files.createDirectories(workDir.resolve("etc")).resolve("hostname"), "victim\n");
    String plantedJob = UUID.randomUUID().toString().replace("-", "");
    String graphPointer = cluster.clusterPath() + "/jobgraphs/" + plantedJob;
    String graphTarget = hostname.toUri().toString();
    String checkpointPointer =
        cluster.clusterPath() + "/checkpoints/" + jobId + "/" + String.format("%019d", 999_999L);
    String checkpointTarget =
        workDir.resolve("ha-storage").toUri()
            + cluster.clusterId()
            + "/checkpoints/../../../etc/hostname";
    plant(graphPointer, graphTarget);
    plant(checkpointPointer, checkpointTarget);

    String token = LeaderReads.leaderTokenDigest(leader, Duration.ofSeconds(30));
    leader.kill();
    JobManagerProcess next =
        cluster.awaitNewLeader(token, SESSION_TIMEOUT.plus(Duration.ofSeconds(60)));

    Awaits.until(
        next + " refused the planted job graph pointer",
        Duration.ofSeconds(60),
        () ->
            next.process().logText().contains("Pointer " + graphPointer + " names " + graphTarget));
    Awaits.until(
        next + " passed over the planted checkpoint pointer",
        Duration.ofSeconds(60),
        () ->
            next.process()
                .logText()
                .contains("Pointer " + checkpointPointer + " names " + checkpointTarget));
    LeaderReads.awaitState(cluster, plantedJob, "FAILED", Duration.ofSeconds(30));
    JsonNode planted = cluster.job(plantedJob);
    assertThat(planted.toString())
        .contains("outside high-availability.storageDir")
        .contains(graphPointer);
    // the real job recovers from its real checkpoint and ends with its output exactly once
    LeaderReads.awaitState(cluster, jobId, "FINISHED", Duration.ofMinutes(3));
    assertThat(cluster.job(jobId).get("recoveries").asInt()).isEqualTo(1);
    ledger.assertExactlyOnce();
    assertThat(hostname).hasContent("victim\n");
    assertThat(next.process().logText()).doesNotContain("Deleting " + graphTarget);
  }

  @Test
  void garbageInLeaderInfoIsRepairedSoTheCliAndTheStandbyFindTheLeader() throws Exception {
    HaCluster cluster =
        ha.start(
            ZooKeeperEnsemble.single(), "leader-info-garbage", workDir, SESSION_TIMEOUT, c -> c);
    ZooKeeperEnsemble zooKeeper = ha.zooKeeper();
    JobManagerProcess leader = cluster.startTwoJobManagersAnd(1);
    JobManagerProcess standby =
        cluster.liveJobManagers().stream().filter(jm -> jm != leader).findFirst().orElseThrow();
    String infoPath = cluster.clusterPath() + "/leader/info";
    Awaits.until(
        standby + " names the leader",
        Duration.ofSeconds(30),
        () -> leader.id().equals(standby.ha().map(HaStatus::leaderId).orElse(null)));
    Path conf = Files.createDirectories(workDir.resolve("cli-conf"));
    Files.writeString(
        conf.resolve("baton-conf.yaml"),
        "high-availability.type: zookeeper\n"
            + "high-availability.zookeeper.quorum: "
            + zooKeeper.connectString()
            + "\nhigh-availability.cluster-id: "
            + cluster.clusterId()
            + "\nhigh-availability.zookeeper.client.connection-timeout: 5 s\n"
            + "rest.address: 127.0.0.1\nrest.port: 1\n");

    zooKeeper
        .client()
        .setData()
        .forPath(infoPath, "\u0000not\nleader\ninfo\nat all".getBytes(StandardCharsets.UTF_8));

    Awaits.until(
        leader + " wrote its leader info again",
        Duration.ofSeconds(10),
        () -> String.valueOf(zooKeeper.data(infoPath)).contains(leader.id()));
    assertThat(leader.process().logText())
        .contains("Leader info " + infoPath + " was changed by someone else");
    Awaits.until(
        standby + " names the leader again",
        Duration.ofSeconds(10),
        () -> leader.id().equals(standby.ha().map(HaStatus::leaderId).orElse(null)));
    InProcessCli list = InProcessCli.run(Map.of("BATON_CONF_DIR", conf.toString()), "list");
    assertThat(list.exitCode()).as("baton list: %s", list.err()).isZero();
    assertThat(list.err()).doesNotContain("no JobManager leads");
  }

  private void plant(String path, String target) throws Exception {
    ha.zooKeeper()
        .client()
        .create()
        .creatingParentsIfNeeded()
        .forPath(path, target.getBytes(StandardCharsets.UTF_8));
  }
}

package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.common.config.Configuration;
import io.baton.it.HaCluster.JobManagerProcess;
import io.baton.storage.MiniHdfs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code high-availability.storageDir} (and the checkpoints) on HDFS (an in-process MiniDFSCluster)
 * and on S3 (S3Proxy): ZooKeeper points into that storage, and after the leader is killed the next
 * one recovers Ledger from it, exactly once.
 */
class HaStorageBackendsTest {
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);

  @TempDir static Path workDir;
  private static MiniHdfs hdfs;
  private static S3ProxyProcess s3;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  @BeforeAll
  static void startStorage() throws Exception {
    hdfs = MiniHdfs.start(workDir.resolve("hdfs"));
    s3 = S3ProxyProcess.start(workDir.resolve("s3-logs"), "baton");
  }

  @AfterAll
  static void stopStorage() throws Exception {
    if (s3 != null) {
      s3.close();
    }
    if (hdfs != null) {
      hdfs.stop();
    }
  }

  @Test
  void leaderFailoverRecoversFromHdfs() throws Exception {
    failover("ha-hdfs", hdfs.namenode() + "/baton", hdfs.configuration());
  }

  @Test
  void leaderFailoverRecoversFromS3() throws Exception {
    failover("ha-s3", "s3://baton/ha-it", s3.configuration());
  }

  private void failover(String name, String root, Configuration storage) throws Exception {
    Path dir = workDir.resolve(name);
    HaCluster cluster =
        ha.start(
            ZooKeeperEnsemble.single(),
            name,
            dir,
            SESSION_TIMEOUT,
            config -> {
              for (Map.Entry<String, String> e : storage.toMap().entrySet()) {
                config.setString(e.getKey(), e.getValue());
              }
              // the restore from a checkpoint on each backend: the new leader restarts the tasks
              return config
                  .setString("jobmanager.failover.reconcile", "false")
                  .setString("high-availability.storageDir", root + "/ha")
                  .setString("state.checkpoints.dir", root + "/checkpoints");
            });
    ZooKeeperEnsemble zooKeeper = ha.zooKeeper();
    JobManagerProcess leader = cluster.startTwoJobManagersAnd(1);

    LedgerJob ledger = new LedgerJob(60_000, 7, 15_000, 200, dir.resolve("out"));
    String jobId = cluster.submitAndAwaitCheckpoint(ledger, leader, 2, 0);
    assertThat(zooKeeper.data(cluster.clusterPath() + "/jobgraphs/" + jobId))
        .as("the job graph pointer")
        .contains(root + "/ha");

    String token = leader.ha().orElseThrow().leaderTokenDigest();
    leader.kill();
    cluster.awaitNewLeader(token, SESSION_TIMEOUT.plus(Duration.ofSeconds(30)));
    cluster.awaitJobState(jobId, "FINISHED", Duration.ofMinutes(2));

    JsonNode job = cluster.job(jobId);
    assertThat(job.get("recoveries").asInt()).as("recoveries: %s", job).isEqualTo(1);
    assertThat(job.get("restoredFrom").get("path").asText())
        .as("restored from a checkpoint on %s", name)
        .startsWith(root + "/checkpoints");
    ledger.assertExactlyOnce();
  }
}

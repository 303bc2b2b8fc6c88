package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.it.HaCluster.JobManagerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster on a shared ensemble that authenticates with SASL (DIGEST-MD5 through the JAAS file of
 * {@code high-availability.zookeeper.client.sasl.jaas-file}) and creates its nodes with {@code acl:
 * creator}: its JobManagers lead, store and fail over as usual, the CLI with the same JAAS file
 * finds the leader, and a client without those credentials can neither read nor change Baton's
 * nodes. The server runs in a JVM of its own, because JAAS is configured per JVM.
 */
class SaslAuthenticatedEnsembleTest {
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);
  private static final String ACL = "high-availability.zookeeper.client.acl";
  private static final String JAAS_FILE = "high-availability.zookeeper.client.sasl.jaas-file";

  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  @Test
  void saslClusterKeepsOtherTenantsOutAndFailsOverExactlyOnce() throws Exception {
    Path serverJaas = serverJaas();
    Path clientJaas = clientJaas("client-jaas.conf", "baton-secret");
    ZooKeeperEnsemble zooKeeper = ZooKeeperEnsemble.withSasl(workDir, serverJaas);
    HaCluster cluster =
        ha.start(
            zooKeeper,
            "sasl",
            workDir,
            SESSION_TIMEOUT,
            c -> c.setString(ACL, "creator").setString(JAAS_FILE, clientJaas.toString()));
    JobManagerProcess leader = cluster.startTwoJobManagersAnd(1);
    // long enough (about 20 s) to be still running after the tenant checks and a CLI JVM, so the
    // kill below always finds it mid-run
    LedgerJob ledger = new LedgerJob(200_000, 7, 10_000, 200, workDir.resolve("out"));
    String jobId = cluster.submitAndAwaitCheckpoint(ledger, leader, 2, 0);

    // another tenant of the ensemble, without Baton's credentials
    String root = cluster.clusterPath();
    for (String node : List.of(root + "/leader/info", root + "/jobgraphs/" + jobId)) {
      assertThatThrownBy(() -> zooKeeper.data(node))
          .as("reading %s", node)
          .isInstanceOf(KeeperException.NoAuthException.class);
      assertThatThrownBy(() -> zooKeeper.client().setData().forPath(node, bytes("file:///evil")))
          .as("changing %s", node)
          .isInstanceOf(KeeperException.NoAuthException.class);
    }
    assertThatThrownBy(() -> zooKeeper.client().create().forPath(root + "/jobgraphs/intruder"))
        .isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(() -> zooKeeper.client().getChildren().forPath(root + "/checkpoints"))
        .isInstanceOf(KeeperException.NoAuthException.class);

    // the CLI with the cluster's JAAS file finds the leader through ZooKeeper
    String token = leader.ha().orElseThrow().leaderTokenDigest();
    CliRun info = cli("info-ok", cliConf("cli-conf", clientJaas));
    assertThat(info.exitCode()).as(info.output()).isZero();
    assertThat(info.output()).contains("Token digest").contains(token);

    // failover: the standby logs in with the same credentials and recovers the job
    assertThat(cluster.job(jobId).get("state").asText())
        .as("the job before the kill")
        .isEqualTo("RUNNING");
    leader.kill();
    cluster.awaitNewLeader(token, SESSION_TIMEOUT.plus(Duration.ofSeconds(30)));
    cluster.awaitJobState(jobId, "FINISHED", Duration.ofMinutes(2));
    assertThat(cluster.job(jobId).get("recoveries").asInt()).isEqualTo(1);
    ledger.assertExactlyOnce();
  }

  @Test
  void aJobManagerWithTheWrongPasswordStopsWithOneLineAndNeverLeads() throws Exception {
    Path serverJaas = serverJaas();
    Path wrongJaas = clientJaas("wrong-jaas.conf", "not-the-secret");
    HaCluster cluster =
        ha.start(
            ZooKeeperEnsemble.withSasl(workDir, serverJaas),
            "sasl-wrong",
            workDir,
            SESSION_TIMEOUT,
            c -> c.setString(ACL, "creator").setString(JAAS_FILE, wrongJaas.toString()));

    JobManagerProcess impostor = cluster.startJobManager("jm-wrong");

    int exit = impostor.process().awaitExit(Duration.ofSeconds(60));
    String log = impostor.process().logText();
    assertThat(exit).as(log).isEqualTo(1);
    String refused =
        "refused the SASL login of JAAS section 'Client' in "
            + wrongJaas
            + " (high-availability.zookeeper.client.sasl.jaas-file): authentication failed";
    assertThat(log.lines())
        .as(log)
        .anySatisfy(line -> assertThat(line).startsWith("baton jobmanager: ").endsWith(refused));
    assertThat(
            cluster.zooKeeper().client().checkExists().forPath(cluster.clusterPath() + "/leader"))
        .as("no leader node was written")
        .isNull();

    // the CLI with the same JAAS file: one line and exit 1, not a wait for a leader
    CliRun info = cli("info-wrong", cliConf("cli-wrong", wrongJaas));
    assertThat(info.exitCode()).as(info.output()).isEqualTo(1);
    assertThat(info.output().lines())
        .as(info.output())
        .anySatisfy(line -> assertThat(line).startsWith("baton: ").endsWith(refused));
  }

  /** The server's JAAS file: user baton may log in with DIGEST-MD5 and password baton-secret. */
  private Path serverJaas() throws Exception {
    return jaas(
        "server-jaas.conf",
        "Server {\n"
            + "  org.apache.zookeeper.server.auth.DigestLoginModule required\n"
            + "  user_baton=\"baton-secret\";\n"
            + "};\n");
  }

  private Path jaas(String name, String text) throws Exception {
    return Files.writeString(workDir.resolve(name), text);
  }

  private Path clientJaas(String name, String password) throws Exception {
    return jaas(
        name,
        "Client {\n"
            + "  org.apache.zookeeper.server.auth.DigestLoginModule required\n"
            + "  username=\"baton\"\n"
            + "  password=\""
            + password
            + "\";\n"
            + "};\n");
  }

  /** A conf directory for the CLI: HA mode on this cluster, with {@code jaasFile}. */
  private Path cliConf(String name, Path jaasFile) throws Exception {
    HaCluster cluster = ha.cluster();
    Path dir = Files.createDirectories(workDir.resolve(name));
    Files.writeString(
        dir.resolve("baton-conf.yaml"),
        String.join(
            "\n",
            "high-availability.type: zookeeper",
            "high-availability.zookeeper.quorum: " + cluster.zooKeeper().connectString(),
            "high-availability.cluster-id: " + cluster.clusterId(),
            ACL + ": creator",
            JAAS_FILE + ": " + jaasFile,
            ""));
    return dir;
  }

  record CliRun(int exitCode, String output) {}

  /** {@code baton info} in a JVM of its own, as JAAS is configured per JVM. */
  private CliRun cli(String name, Path confDir) throws Exception {
    try (JvmProcess process =
        JvmProcess.start(
            name,
            "io.baton.cli.BatonCli",
            workDir.resolve("cli-logs"),
            List.of("-Xmx128m"),
            List.of("info", "--conf", confDir.toString()))) {
      int exit = process.awaitExit(Duration.ofSeconds(60));
      return new CliRun(exit, process.logText());
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

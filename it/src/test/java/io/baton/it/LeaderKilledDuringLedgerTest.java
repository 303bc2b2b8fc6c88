package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ledger with checkpoints every 200 ms on two JobManagers and two TaskManagers with everything
 * {@code bin/baton-certs.sh} turns on; the leader is SIGKILLed twice and each new leader adopts the
 * running tasks (see {@link LedgerUnderLeaderKills}). Five kills in a row are {@link
 * LeaderKilledReconcileTest}'s, and with this class's settings {@link
 * LeaderKilledFiveTimesSoakTest}'s (with {@code -Psoak}).
 */
class LeaderKilledDuringLedgerTest {
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);

  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  /**
   * Mutual TLS on every gRPC channel, REST over https with client certificates and the REST token;
   * the leader is killed twice. The standbys' probes of the leader get its identity through that
   * TLS.
   */
  @Test
  void jobFinishesAfterTwoKillsWithTlsAndTokenOn() throws Exception {
    ClusterCertificates certificates = ClusterCertificates.make(workDir.resolve("certs"));
    HaCluster cluster =
        ha.start(
            ZooKeeperEnsemble.single(),
            "leader-kills-tls",
            workDir,
            SESSION_TIMEOUT,
            c ->
                certificates
                    .applyAll(c)
                    .setString("security.ssl.rest.authentication-enabled", "true"));
    // 40 s of events: its sources still run at the second kill (a finished task is not adopted)
    LedgerUnderLeaderKills.run(
        cluster, SESSION_TIMEOUT, 2, new LedgerJob(120_000, 17, 3_000, 200, out()));
    assertThat(cluster.taskManagers())
        .allSatisfy(tm -> assertThat(tm.logText()).contains("Registered at JobManager"));
    // the standbys' identity calls go through the same mutual TLS as the TaskManagers'
    assertThat(cluster.jobManagers())
        .anySatisfy(
            jm ->
                assertThat(jm.process().logText())
                    .containsPattern("is alive: the leader's process \\S+ answered at"));
  }

  private Path out() {
    return workDir.resolve("out");
  }
}

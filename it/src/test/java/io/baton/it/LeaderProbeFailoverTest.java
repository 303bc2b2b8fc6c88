package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.common.config.HighAvailabilityOptions;
import io.baton.it.HaCluster.JobManagerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standbys probing the leader, with the shipped 60 s ZooKeeper session: a SIGKILLed leader is
 * replaced well before its session expires (its port refuses, so the standby deletes its latch
 * node) and Ledger finishes exactly once, restarted from its checkpoint; a SIGSTOPped leader, whose
 * port accepts and never answers, keeps its latch node however long standbys probe it, and leads on
 * after SIGCONT.
 */
class LeaderProbeFailoverTest {
  private static final Duration SHIPPED_SESSION =
      HighAvailabilityOptions.SESSION_TIMEOUT.defaultValue().orElseThrow();
  // the issue's target is 3 s (the failover benchmark measures it); this bound only says "long
  // before the session timeout" on a busy two-core machine
  private static final Duration NEW_LEADER_WITHIN = Duration.ofSeconds(20);

  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  @Test
  void aKilledLeaderIsReplacedLongBeforeItsSessionExpiresAndLedgerStaysExact() throws Exception {
    HaCluster cluster =
        ha.start(ZooKeeperEnsemble.single(), "leader-probe-kill", workDir, SHIPPED_SESSION, c -> c);
    JobManagerProcess leader = cluster.startTwoJobManagersAnd(2);
    JobManagerProcess standby =
        cluster.liveJobManagers().stream().filter(jm -> jm != leader).findFirst().orElseThrow();
    LedgerJob ledger = new LedgerJob(150_000, 17, 20_000, 200, workDir.resolve("out"));
    String jobId = cluster.submitAndAwaitCheckpoint(ledger, leader, 4, 0);
    String token = leader.ha().orElseThrow().leaderTokenDigest();
    CompletableFuture<Long> latchNodeDeleted =
        ha.zooKeeper().whenDeleted(cluster.publishedLeaderLatchNode());

    long killedAt = System.nanoTime();
    leader.kill();
    JobManagerProcess successor = cluster.awaitNewLeader(token, NEW_LEADER_WITHIN);
    long newLeaderMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
    long deletedMs =
        TimeUnit.NANOSECONDS.toMillis(latchNodeDeleted.get(1, TimeUnit.SECONDS) - killedAt);
    System.out.printf(
        "leader SIGKILL with a %d s session: latch node deleted after %d ms, new leader serving"
            + " after %d ms%n",
        SHIPPED_SESSION.toSeconds(), deletedMs, newLeaderMs);

    assertThat(successor).isSameAs(standby);
    assertThat(newLeaderMs)
        .as(
            "ms from SIGKILL to a serving new leader, session timeout %d ms",
            SHIPPED_SESSION.toMillis())
        .isLessThan(NEW_LEADER_WITHIN.toMillis());
    assertThat(standby.process().logText())
        .as("the standby's log")
        .containsPattern("refused: nothing listens there; proof that its process is gone")
        .containsPattern("Deleted latch node \\S+ of leader " + token);
    Awaits.until(
        "the job recovered by " + successor,
        Duration.ofSeconds(60),
        () -> cluster.job(jobId).get("recoveries").asInt() == 1);
    cluster.awaitJobState(jobId, "FINISHED", Duration.ofMinutes(3));
    JsonNode job = successor.rest().getOk("/jobs/" + jobId);
    assertThat(job.get("reconciliations").asInt())
        .as("the new leader adopted the running job: %s", job)
        .isEqualTo(1);
    assertThat(job.get("restarts").asInt()).as("restarts").isZero();
    ledger.assertExactlyOnce();
  }

  @Test
  void aLeaderWhosePortOnlyTimesOutNeverLosesItsLatchNodeToAProbe() throws Exception {
    HaCluster cluster =
        ha.start(
            ZooKeeperEnsemble.single(), "leader-probe-timeout", workDir, SHIPPED_SESSION, c -> c);
    cluster.startJobManager("jm1");
    cluster.startJobManager("jm2");
    JobManagerProcess leader = cluster.awaitLeader(Duration.ofSeconds(90));
    JobManagerProcess standby =
        cluster.liveJobManagers().stream().filter(jm -> jm != leader).findFirst().orElseThrow();
    String token = leader.ha().orElseThrow().leaderTokenDigest();
    String latchNode = cluster.publishedLeaderLatchNode();
    String info = ha.zooKeeper().data(cluster.clusterPath() + "/leader/info");
    int standbyMark = standby.process().logLength();

    // SIGSTOP: the kernel still accepts connections to its port, nothing ever answers
    leader.pause();
    Awaits.until(
        "the standby probing the paused leader without proof",
        Duration.ofSeconds(30),
        () ->
            standby
                .process()
                .logSince(standbyMark)
                .contains("DEADLINE_EXCEEDED; no proof that its process is gone"));
    // 5 s of probes every 200 ms: many times the 3 proofs a deletion would need
    await("the paused leader's latch node and leader info in place")
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                ha.zooKeeper().data(latchNode) != null
                    && info.equals(ha.zooKeeper().data(cluster.clusterPath() + "/leader/info")));
    leader.resume();

    Awaits.until(
        leader + " leading on under its token after SIGCONT",
        Duration.ofSeconds(30),
        () ->
            token.equals(leader.ha().orElseThrow().leaderTokenDigest())
                && leader.ha().orElseThrow().leader());
    assertThat(standby.process().logSince(standbyMark))
        .as("the standby's log while the leader was paused")
        .doesNotContain("Deleted latch node")
        .doesNotContain("proof that its process is gone, its latch node is deleted");
    assertThat(leader.process().logText())
        .as("the paused leader's log")
        .doesNotContain("was deleted by someone else");
  }
}

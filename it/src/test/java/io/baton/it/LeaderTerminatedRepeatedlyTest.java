package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.it.HaCluster.JobManagerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ledger with checkpoints every 200 ms on two JobManagers and two TaskManagers; the leader is
 * stopped gracefully with SIGTERM twice in a row (five times with {@code -Psoak}, in {@link
 * LeaderTerminatedFiveTimesSoakTest}), and each stopped JobManager is started again as a standby,
 * so there are always two. A graceful stop leaves the election before anything else: its latch node
 * is gone when the process has exited, though its ZooKeeper session timeout is long (a hand-over
 * that waited for the session to expire would leave the node behind). The stopped leader leaves its
 * tasks running (reconciliation is on by default) and each successor adopts them: no task restarts,
 * every subtask keeps its attempt number. No two leaderships are ever seen at once, the job
 * finishes on the last leader, which reports one recovery per stop, all of them reconciliations,
 * and its output holds every event exactly once.
 */
class LeaderTerminatedRepeatedlyTest {
  // long on purpose: only a latch closed on SIGTERM hands over before the session expires
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  @Test
  void jobFinishesOnTheLastLeaderAfterTwoGracefulStops() throws Exception {
    // 50 s of events: each leadership runs the job until the restarted standby is back (a JVM
    // start: 3 s on a quiet machine, 10 s and more on a busy one; five stops took 60 s at a load
    // average of 26 on two cores), and the job must still run at the last stop: adopted tasks
    // lose no time to a restart, so the job is not slowed down by the stops
    run(ha, workDir, 2, new LedgerJob(100_000, 19, 2_000, 200, workDir.resolve("out")));
  }

  /** Stops the leader {@code stops} times while {@code ledger} runs; see the class comment. */
  static void run(HaClusterExtension ha, Path workDir, int stops, LedgerJob ledger)
      throws Exception {
    HaCluster cluster =
        ha.start(ZooKeeperEnsemble.single(), "leader-terminated", workDir, SESSION_TIMEOUT, c -> c);
    JobManagerProcess leader = cluster.startTwoJobManagersAnd(2);
    String jobId = cluster.submitAndAwaitCheckpoint(ledger, leader, 4, 0);
    List<Integer> attempts = SubtaskAttempts.of(leader, jobId);

    JobManagerProcess first = leader;
    JobManagerProcess standby =
        cluster.jobManagers().stream().filter(jm -> jm != first).findFirst().orElseThrow();
    List<String> tokens = new ArrayList<>();
    try (LeaderSampler sampler = LeaderSampler.start(cluster::runningJobManagers)) {
      Awaits.until("the sampler running", Duration.ofSeconds(10), () -> sampler.rounds() >= 2);
      for (int stop = 1; stop <= stops; stop++) {
        // a stop hands over at once only to a standby that is already contending
        awaitStandby(standby, leader);
        cluster.awaitJobState(jobId, "RUNNING", Duration.ofSeconds(60));
        String token = leader.ha().orElseThrow().leaderTokenDigest();
        tokens.add(token);
        long checkpointBefore = HaCluster.latestCompletedCheckpoint(cluster.checkpoints(jobId));
        int leaderLog = leader.process().logLength();
        leader.terminate();
        JobManagerProcess successor = cluster.awaitNewLeader(token, Duration.ofSeconds(60));
        assertThat(successor).as("the new leader").isSameAs(standby);
        assertThat(leader.process().awaitExit(Duration.ofSeconds(60)))
            .as("exit code of %s after SIGTERM", leader)
            .isIn(0, 143);
        assertThat(latchParticipants(ha))
            .as(
                "contenders in ZooKeeper once %s exited (its session would last %s)",
                leader, SESSION_TIMEOUT)
            .doesNotContain(leader.id())
            .contains(successor.id());
        standby = cluster.restartJobManager(leader);

        int reconciliations = stop;
        Awaits.until(
            "reconciliation " + stop + " reported by " + successor,
            Duration.ofSeconds(60),
            () -> cluster.job(jobId).get("reconciliations").asInt() == reconciliations);
        cluster.awaitJobState(jobId, "RUNNING", Duration.ofSeconds(60));
        JsonNode adopted = cluster.job(jobId);
        assertThat(adopted.get("restarts").asInt()).as("restarts after stop %d", stop).isZero();
        assertThat(adopted.get("recoveries").asInt())
            .as("recoveries after stop %d", stop)
            .isEqualTo(stop);
        assertThat(SubtaskAttempts.of(successor, jobId))
            .as("attempt numbers after stop %d", stop)
            .isEqualTo(attempts);
        assertThat(successor.process().logText()).contains("(" + jobId + ") adopted");
        assertThat(leader.process().logSince(leaderLog))
            .as("what %s logged on its way out", leader)
            .contains("its tasks keep running in their slots for the next leader to adopt");
        if (stop < stops) {
          // let the job make progress on this leader before stopping it
          cluster.awaitCheckpointAfter(jobId, checkpointBefore, Duration.ofSeconds(60));
        }
        leader = successor;
      }
      tokens.add(leader.ha().orElseThrow().leaderTokenDigest());

      cluster.awaitJobState(jobId, "FINISHED", Duration.ofMinutes(3));
      sampler.close();
      sampler.assertNoSplitBrain();
      assertThat(sampler.leaderships())
          .extracting(LeaderSampler.Leadership::leaderTokenDigest)
          .as("leaderships in the order sampled")
          .containsExactlyElementsOf(tokens);
    }

    assertThat(leader.ha().orElseThrow().leader()).as("%s still leads", leader).isTrue();
    JsonNode job = leader.rest().getOk("/jobs/" + jobId);
    assertThat(job.get("state").asText()).isEqualTo("FINISHED");
    assertThat(job.get("recoveries").asInt()).as("recoveries").isEqualTo(stops);
    assertThat(job.get("reconciliations").asInt()).as("reconciliations").isEqualTo(stops);
    assertThat(job.get("restarts").asInt()).as("restarts").isZero();
    ledger.assertExactlyOnce();
  }

  private static void awaitStandby(JobManagerProcess standby, JobManagerProcess leader) {
    Awaits.until(
        standby + " contending and naming " + leader + " as leader",
        Duration.ofSeconds(60),
        () -> {
          HaStatus s = standby.ha().orElseThrow();
          return !s.leader()
              && leader.id().equals(s.leaderId())
              && leader.ha().orElseThrow().contenders().contains(standby.id());
        });
  }

  /** The contender ids on the latch, as ZooKeeper holds them (a latch node's data is its id). */
  private static List<String> latchParticipants(HaClusterExtension ha) throws Exception {
    HaCluster cluster = ha.cluster();
    ZooKeeperEnsemble zooKeeper = ha.zooKeeper();
    return List.copyOf(zooKeeper.tree(cluster.clusterPath() + "/leader/latch").values());
  }
}

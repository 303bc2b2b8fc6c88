package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.it.HaCluster.JobManagerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three JobManager processes contend on one ZooKeeper server. The leader is killed with SIGKILL,
 * then its successor is stopped with SIGTERM; all the while every live JobManager's {@code GET /ha}
 * is sampled every 50 ms. Never do two believe they lead at the same instant, a new leader takes
 * over each time, and after a graceful stop it does so well before the session timeout.
 */
class JobManagerLeaderElectionTest {
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(8);

  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  @Test
  void oneLeaderAtATimeThroughAKillAndAGracefulStop() throws Exception {
    HaCluster cluster =
        ha.start(ZooKeeperEnsemble.single(), "leader-election", workDir, SESSION_TIMEOUT, c -> c);
    for (int i = 1; i <= 3; i++) {
      cluster.startJobManager("jm" + i);
    }
    JobManagerProcess first = cluster.awaitLeader(Duration.ofSeconds(90));
    List<String> allIds = cluster.jobManagers().stream().map(JobManagerProcess::id).toList();
    Awaits.until(
        "the leader lists all three contenders",
        Duration.ofSeconds(60),
        () -> first.ha().orElseThrow().contenders().containsAll(allIds));
    for (JobManagerProcess standby : cluster.jobManagers()) {
      if (standby != first) {
        Awaits.until(
            standby + " names " + first + " as leader",
            Duration.ofSeconds(30),
            () -> {
              HaStatus s = standby.ha().orElseThrow();
              return !s.leader()
                  && first.id().equals(s.leaderId())
                  && first.rest().baseUrl().equals(s.leaderRestUrl());
            });
      }
    }
    String firstToken = first.ha().orElseThrow().leaderTokenDigest();
    assertThat(firstToken).as("the leader's fencing token").isNotBlank();

    try (LeaderSampler sampler = LeaderSampler.start(cluster::runningJobManagers)) {
      Awaits.until("the sampler running", Duration.ofSeconds(10), () -> sampler.rounds() >= 2);
      first.kill();
      JobManagerProcess second =
          cluster.awaitNewLeader(firstToken, SESSION_TIMEOUT.plus(Duration.ofSeconds(30)));
      String secondToken = second.ha().orElseThrow().leaderTokenDigest();
      awaitSampled(sampler, secondToken);

      long stopSent = System.currentTimeMillis();
      second.terminate();
      JobManagerProcess third = cluster.awaitNewLeader(secondToken, SESSION_TIMEOUT);
      HaStatus thirdStatus = third.ha().orElseThrow();
      awaitSampled(sampler, thirdStatus.leaderTokenDigest());
      assertThat(thirdStatus.leaderSince() - stopSent)
          .as(
              "ms from SIGTERM of the leader to its successor's grant, session timeout %d ms",
              SESSION_TIMEOUT.toMillis())
          .isLessThan(SESSION_TIMEOUT.toMillis() / 2);
      assertThat(second.process().awaitExit(Duration.ofSeconds(30)))
          .as("exit code after SIGTERM")
          .isIn(0, 143);

      // the killed leader's latch node goes with its session, the stopped one's with its close
      Awaits.until(
          "only the last JobManager left contending",
          SESSION_TIMEOUT.plus(Duration.ofSeconds(30)),
          () -> third.ha().orElseThrow().contenders().equals(List.of(third.id())));

      sampler.close();
      assertThat(sampler.longestGapMillis())
          .as("longest pause between sampling rounds, ms (%d rounds)", sampler.rounds())
          .isLessThan(SESSION_TIMEOUT.toMillis() / 2);
      sampler.assertNoSplitBrain();
      assertThat(sampler.leaderships())
          .extracting(LeaderSampler.Leadership::leaderTokenDigest)
          .as("leaderships in the order sampled")
          .containsExactly(firstToken, secondToken, thirdStatus.leaderTokenDigest());
      assertThat(sampler.leaderships())
          .extracting(LeaderSampler.Leadership::jobManager)
          .containsExactly(first.name(), second.name(), third.name());
    }
  }

  /** Waits until the sampler caught the leadership {@code token} at least once. */
  private static void awaitSampled(LeaderSampler sampler, String token) {
    Awaits.until(
        "the sampler seeing leadership " + token,
        Duration.ofSeconds(10),
        () -> sampler.leaderships().stream().anyMatch(l -> token.equals(l.leaderTokenDigest())));
  }
}

package io.baton.it;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ledger at parallelism 4 with checkpoints every 200 ms and a 3 s session; the leader is SIGKILLed
 * five times in a row and each new leader adopts the running tasks (see {@link
 * LedgerUnderLeaderKills}). The default run covers five adoptions in a row with {@link
 * LeaderKilledReconcileTest} (two jobs, attempt numbers checked after each kill); this variant runs
 * with {@code -Psoak}, since it asserts nothing more and costs more than two minutes.
 */
class LeaderKilledFiveTimesSoakTest {
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);

  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  @Test
  void jobFinishesOnTheLastLeaderAfterFiveKills() throws Exception {
    HaCluster cluster =
        ha.start(ZooKeeperEnsemble.single(), "leader-kills", workDir, SESSION_TIMEOUT, c -> c);
    // 75 s of events: an adopted job loses no time to a kill, so it must outlast five of them
    LedgerUnderLeaderKills.run(
        cluster,
        SESSION_TIMEOUT,
        5,
        new LedgerJob(300_000, 17, 4_000, 200, workDir.resolve("out")));
  }
}

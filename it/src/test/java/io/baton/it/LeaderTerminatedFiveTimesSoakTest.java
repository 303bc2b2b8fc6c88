package io.baton.it;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LeaderTerminatedRepeatedlyTest} with five graceful stops instead of two; it runs with
 * {@code -Psoak}, since it asserts nothing more and costs more than two minutes.
 */
class LeaderTerminatedFiveTimesSoakTest {
  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  @Test
  void jobFinishesOnTheLastLeaderAfterFiveGracefulStops() throws Exception {
    // 130 s of events: the job must still run at the fifth stop
    LeaderTerminatedRepeatedlyTest.run(
        ha, workDir, 5, new LedgerJob(260_000, 19, 2_000, 200, workDir.resolve("out")));
  }
}

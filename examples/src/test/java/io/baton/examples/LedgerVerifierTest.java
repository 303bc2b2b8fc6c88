package io.baton.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerVerifierTest {
  @TempDir Path dir;

  // 6 events on 2 accounts: event i books i on account i % 2
  private static final String E0 = "0\t0\t0";
  private static final String E1 = "1\t1\t1";
  private static final String E2 = "2\t0\t2";
  private static final String E3 = "3\t1\t4";
  private static final String E4 = "4\t0\t6";
  private static final String E5 = "5\t1\t9";

  private final LedgerVerifier verifier = new LedgerVerifier(6, 2);

  private void write(String file, String... lines) throws Exception {
    Files.write(dir.resolve(file), List.of(lines));
  }

  @Test
  void completeOutputInAnyFilesAndOrderIsRight() throws Exception {
    write("part-0-0", E4, E0, E2);
    write("part-1-0", E1, E5);
    write("part-1-1", E3);
    write(".part-1-2.inprogress.0b9f", "3\t1\t4", "garbage"); // uncommitted: not output

    LedgerVerifier.Result result = verifier.verify(dir);

    assertThat(result.ok()).isTrue();
    assertThat(result.report()).containsExactly("lost=0 duplicated=0");
  }

  @Test
  void missingEventsAreLost() throws Exception {
    write("part-0-0", E0, E1, E2, E5);

    LedgerVerifier.Result result = verifier.verify(dir);

    assertThat(result.ok()).isFalse();
    assertThat(result.report()).containsExactly("lost=2 duplicated=0");
  }

  @Test
  void eventsSeenTwiceAreDuplicated() throws Exception {
    write("part-0-0", E0, E1, E2, E3);
    write("part-0-1", E2, E3, E4, E5, E2);

    LedgerVerifier.Result result = verifier.verify(dir);

    assertThat(result.ok()).isFalse();
    assertThat(result.report()).containsExactly("lost=0 duplicated=2");
  }

  @Test
  void wrongBalancesAndMalformedLinesAreCountedAndTheFirstIsShown() throws Exception {
    write("part-0-0", E0, E1, E2, "3\t1\t5", E4, E5, "oops", "6\t0\t12", "1\t0\t1", "");

    LedgerVerifier.Result result = verifier.verify(dir);

    assertThat(result.ok()).isFalse();
    assertThat(result.report())
        .containsExactly(
            "lost=0 duplicated=1",
            "wrong_sums=5 (first: line part-0-0:4 '3\\t1\\t5': balance should be 4)");
  }

  @Test
  void aLineWithoutItsLastLineBreakIsStillRead() throws Exception {
    Files.writeString(dir.resolve("part-0-0"), String.join("\n", E0, E1, E2, E3, E4, E5));

    assertThat(verifier.verify(dir).report()).containsExactly("lost=0 duplicated=0");
  }

  @Test
  void theClosedFormBalanceMatchesSummingUp() {
    for (int keys : new int[] {1, 2, 7, 100}) {
      List<Long> sums = new ArrayList<>();
      for (int k = 0; k < keys; k++) {
        sums.add(0L);
      }
      for (long event = 0; event < 1000; event++) {
        int key = (int) (event % keys);
        sums.set(key, sums.get(key) + event);
        assertThat(LedgerVerifier.expectedBalance(event, keys)).isEqualTo(sums.get(key));
      }
    }
    long last = Integer.MAX_VALUE - 1L;
    assertThat(LedgerVerifier.expectedBalance(last, 1)).isEqualTo(last * (last + 1) / 2);
  }
}

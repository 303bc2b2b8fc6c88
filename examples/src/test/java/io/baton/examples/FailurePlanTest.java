package io.baton.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FailurePlanTest {
  private static final int KEYS = 10;

  @Test
  void failureKHappensOnlyInAttemptKAtItsEventOrTheNextOneOfTheSameAccount() {
    FailurePlan plan = FailurePlan.of(4, 42, 100_000, KEYS);
    long[] positions = plan.positions();

    for (int attempt = 0; attempt < 4; attempt++) {
      long p = positions[attempt];
      LedgerEvent atPosition = LedgerEvent.of(p, KEYS);
      assertThat(plan.failureAt(atPosition, attempt))
          .get()
          .extracting(Throwable::getMessage)
          .isEqualTo("deliberate failure " + (attempt + 1) + " of 4 at event " + p);
      // a restored checkpoint covered the position: the account's next event fails instead
      assertThat(plan.failureAt(LedgerEvent.of(p + KEYS, KEYS), attempt))
          .get()
          .extracting(Throwable::getMessage)
          .isEqualTo("deliberate failure " + (attempt + 1) + " of 4 at event " + (p + KEYS));
      // other accounts (owned by other subtasks, maybe) and earlier events go through
      assertThat(plan.failureAt(LedgerEvent.of(p + 1, KEYS), attempt)).isEmpty();
      assertThat(plan.failureAt(LedgerEvent.of(p - KEYS, KEYS), attempt)).isEmpty();
      // every other attempt gets past it
      for (int other = -1; other <= 5; other++) {
        if (other != attempt) {
          assertThat(plan.failureAt(atPosition, other)).isEmpty();
        }
      }
    }
  }

  @Test
  void thePositionsComeFromTheSeedOnePerSliceOfTheEvents() {
    long[] positions = FailurePlan.of(5, 3, 1000, KEYS).positions();

    assertThat(FailurePlan.of(5, 3, 1000, KEYS).positions()).isEqualTo(positions);
    assertThat(FailurePlan.of(5, 4, 1000, KEYS).positions()).isNotEqualTo(positions);
    for (int k = 0; k < 5; k++) {
      assertThat(positions[k]).isBetween(k * 200L, k * 200L + 199);
    }
  }

  @Test
  void hugeEventCountsDoNotOverflow() {
    long[] positions = FailurePlan.of(1000, 1, Long.MAX_VALUE, KEYS).positions();

    assertThat(positions).hasSize(1000).isSorted();
    assertThat(positions[0]).isNotNegative();
    assertThat(positions[999]).isGreaterThan(Long.MAX_VALUE / 1000 * 999);
  }

  @Test
  void noPlanNeverFailsAndTooManyFailuresAreRefused() {
    assertThat(FailurePlan.none().failureAt(LedgerEvent.of(0, 1), 0)).isEmpty();
    assertThatThrownBy(() -> FailurePlan.of(11, 1, 10, KEYS))
        .hasMessage("the number of failures must be between 0 and the 10 events");
  }
}

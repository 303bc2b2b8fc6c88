package io.baton.coordinator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CumulativeCountTest {

  @Test
  void growsByWhatTheAttemptsFigureGrew() {
    CumulativeCount count = new CumulativeCount();
    count.report(10);
    count.report(25);
    count.report(25);
    assertThat(count.total()).isEqualTo(25);
  }

  @Test
  void keepsGrowingAcrossANewAttempt() {
    CumulativeCount count = new CumulativeCount();
    count.report(100);
    count.newAttempt();
    // the new attempt outgrew the old one before its first report: still counted from zero
    count.report(150);
    assertThat(count.total()).isEqualTo(250);
  }

  @Test
  void aDropWithoutANewAttemptCountsAsAFreshStart() {
    CumulativeCount count = new CumulativeCount();
    count.report(100);
    count.report(30);
    assertThat(count.total()).isEqualTo(130);
  }
}

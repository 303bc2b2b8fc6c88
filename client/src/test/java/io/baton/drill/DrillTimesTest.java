package io.baton.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How long faults pause, and how many events keep the job alive through them. */
class DrillTimesTest {
  private final DrillTimes shipped = new DrillTimes(Duration.ofSeconds(60), Duration.ofSeconds(50));

  @Test
  void stopPausesPastTheTimeoutThatNoticesIt() {
    assertThat(shipped.pause(FaultTarget.LEADER, FaultSignal.STOP))
        .isEqualTo(Duration.ofSeconds(65));
    assertThat(shipped.pause(FaultTarget.ZOOKEEPER, FaultSignal.STOP))
        .isEqualTo(Duration.ofSeconds(65));
    assertThat(shipped.pause(FaultTarget.TASKMANAGER, FaultSignal.STOP))
        .isEqualTo(Duration.ofSeconds(55));
    assertThat(shipped.pause(FaultTarget.LEADER, FaultSignal.KILL)).isZero();
  }

  @Test
  void defaultEventsOutlastEveryFaultAtTheRate() {
    // 30 s start + 5 x (60 s session timeout + 30 s allowance + 10 s interval) + 30 s, at 500/s
    long events =
        shipped.defaultEvents(
            5,
            List.of(FaultTarget.LEADER, FaultTarget.STANDBY),
            FaultSignal.KILL,
            Duration.ofSeconds(10),
            500);
    assertThat(events).isEqualTo((30 + 5 * 100 + 30) * 500L);

    // a graceful stop of the leader is noticed at once: no session timeout to wait out
    long graceful =
        shipped.defaultEvents(
            2, List.of(FaultTarget.LEADER), FaultSignal.TERM, Duration.ofSeconds(10), 500);
    assertThat(graceful).isEqualTo((30 + 2 * 40 + 30) * 500L);
  }
}

package io.baton.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PollerTest {
  /** A clock that moves only when the poller pauses. */
  private static final class PausedTime extends Clock {
    long millis;
    final List<Duration> pauses = new ArrayList<>();

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    Poller poller() {
      return new Poller(
          this,
          span -> {
            pauses.add(span);
            millis += span.toMillis();
          });
    }
  }

  @Test
  void returnsTheFirstValueAnAttemptGives() throws Exception {
    PausedTime time = new PausedTime();
    int[] attempts = {0};

    Optional<String> value =
        time.poller()
            .until(
                Duration.ofSeconds(10),
                Duration.ofSeconds(1),
                () -> ++attempts[0] == 3 ? Optional.of("ready") : Optional.empty());

    assertThat(value).contains("ready");
    assertThat(time.pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
  }

  @Test
  void givesUpOnceTheDeadlinePassed() throws Exception {
    PausedTime time = new PausedTime();

    Optional<String> value =
        time.poller().until(Duration.ofSeconds(3), Duration.ofSeconds(1), Optional::empty);

    assertThat(value).isEmpty();
    assertThat(time.millis).isEqualTo(3000);
  }
}

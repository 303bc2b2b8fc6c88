package io.baton.coordinator.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.config.Configuration;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.coordinator.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RestartStrategyTest {
  private final ManualClock clock = new ManualClock(1_000_000);
  private final RestartStrategyFactory factory = new RestartStrategyFactory(clock, new Random(42));

  private RestartStrategy create(Map<String, String> cluster, Map<String, String> job) {
    return factory.create(Configuration.fromMap(cluster), job);
  }

  @Test
  void unsetTypeMeansNoRestartWithoutCheckpointing() {
    RestartStrategy s = create(Map.of(), Map.of());

    s.notifyFailure();

    assertThat(s.canRestart()).isFalse();
    assertThat(s.describe()).isEqualTo("none");
  }

  @Test
  void unsetTypeMeansExponentialDelayWithCheckpointing() {
    RestartStrategy s = create(Map.of("execution.checkpointing.interval", "10 s"), Map.of());

    assertThat(s.describe()).startsWith("exponential-delay");
    s.notifyFailure();
    assertThat(s.canRestart()).isTrue();
  }

  @Test
  void jobConfigOverridesClusterConfig() {
    RestartStrategy s =
        create(
            Map.of("restart-strategy.type", "none"),
            Map.of(
                "restart-strategy.type", "fixed-delay",
                "restart-strategy.fixed-delay.attempts", "2",
                "restart-strategy.fixed-delay.delay", "250 ms"));

    assertThat(s.describe()).isEqualTo("fixed-delay (2 attempts, 250 ms delay)");
  }

  @Test
  void fixedDelayAllowsTheConfiguredAttemptsThenStops() {
    RestartStrategy s =
        create(
            Map.of(
                "restart-strategy.type", "fixed-delay",
                "restart-strategy.fixed-delay.attempts", "3",
                "restart-strategy.fixed-delay.delay", "2 s"),
            Map.of());

    for (int i = 1; i <= 3; i++) {
      s.notifyFailure();
      assertThat(s.canRestart()).as("failure %d", i).isTrue();
      assertThat(s.backoff()).isEqualTo(Duration.ofSeconds(2));
    }
    s.notifyFailure();
    assertThat(s.canRestart()).isFalse();
  }

  @Test
  void failureRateFailsTheJobOnlyWhenTooManyFailuresFallInOneInterval() {
    RestartStrategy s =
        create(
            Map.of(
                "restart-strategy.type", "failure-rate",
                "restart-strategy.failure-rate.max-failures-per-interval", "2",
                "restart-strategy.failure-rate.failure-rate-interval", "1 min",
                "restart-strategy.failure-rate.delay", "3 s"),
            Map.of());

    s.notifyFailure();
    assertThat(s.canRestart()).isTrue();
    assertThat(s.backoff()).isEqualTo(Duration.ofSeconds(3));
    clock.advance(Duration.ofSeconds(40));
    s.notifyFailure();
    assertThat(s.canRestart()).isTrue();
    // the first failure left the window: two failures in the last minute are still allowed
    clock.advance(Duration.ofSeconds(30));
    s.notifyFailure();
    assertThat(s.canRestart()).isTrue();
    // three failures within one minute
    clock.advance(Duration.ofSeconds(5));
    s.notifyFailure();
    assertThat(s.canRestart()).isFalse();
  }

  private static Map<String, String> exponential(String jitter, String attempts) {
    return Map.of(
        "restart-strategy.type", "exponential-delay",
        "restart-strategy.exponential-delay.initial-backoff", "1 s",
        "restart-strategy.exponential-delay.max-backoff", "10 s",
        "restart-strategy.exponential-delay.backoff-multiplier", "2.0",
        "restart-strategy.exponential-delay.jitter-factor", jitter,
        "restart-strategy.exponential-delay.reset-backoff-threshold", "1 min",
        "restart-strategy.exponential-delay.attempts-before-reset-backoff", attempts);
  }

  @Test
  void exponentialDelayGrowsByTheMultiplierUpToTheMaximum() {
    RestartStrategy s = create(exponential("0", "100"), Map.of());

    List<Long> backoffs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      s.notifyFailure();
      backoffs.add(s.backoff().toMillis());
      clock.advance(Duration.ofSeconds(1));
    }

    assertThat(backoffs).containsExactly(1000L, 2000L, 4000L, 8000L, 10000L, 10000L);
  }

  @Test
  void exponentialDelayResetsAfterRunningLongerThanTheThreshold() {
    RestartStrategy s = create(exponential("0", "3"), Map.of());
    s.notifyFailure();
    s.notifyFailure();
    s.notifyFailure();
    assertThat(s.backoff()).isEqualTo(Duration.ofSeconds(4));

    clock.advance(Duration.ofMinutes(2));
    s.notifyFailure();

    assertThat(s.backoff()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.canRestart()).isTrue();
  }

  @Test
  void exponentialDelayStopsAfterItsAttemptsWithoutAReset() {
    RestartStrategy s = create(exponential("0", "2"), Map.of());

    s.notifyFailure();
    assertThat(s.canRestart()).isTrue();
    s.notifyFailure();
    assertThat(s.canRestart()).isTrue();
    s.notifyFailure();
    assertThat(s.canRestart()).isFalse();
  }

  @Test
  void exponentialJitterStaysWithinItsShareOfTheBackoffAndVaries() {
    RestartStrategy s = create(exponential("0.25", "1000"), Map.of());
    s.notifyFailure();
    s.notifyFailure();
    // current backoff 2 s: jitter keeps each pause within 1.5 s .. 2.5 s
    List<Long> pauses = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      pauses.add(s.backoff().toMillis());
    }

    assertThat(pauses).allSatisfy(p -> assertThat(p).isBetween(1500L, 2500L));
    assertThat(pauses.stream().distinct().count()).isGreaterThan(50);
    assertThat(pauses.stream().mapToLong(Long::longValue).min().orElseThrow()).isLessThan(1700L);
    assertThat(pauses.stream().mapToLong(Long::longValue).max().orElseThrow()).isGreaterThan(2300L);
  }

  @Test
  void exponentialJitterNeverExceedsTheMaximum() {
    RestartStrategy s = create(exponential("1.0", "1000"), Map.of());
    for (int i = 0; i < 10; i++) {
      s.notifyFailure();
    }

    for (int i = 0; i < 100; i++) {
      assertThat(s.backoff().toMillis()).isBetween(0L, 10_000L);
    }
  }

  @Test
  void seededJitterIsReproducible() {
    RestartStrategy a =
        new RestartStrategyFactory(clock, new Random(7))
            .create(Configuration.fromMap(exponential("0.5", "10")), Map.of());
    RestartStrategy b =
        new RestartStrategyFactory(clock, new Random(7))
            .create(Configuration.fromMap(exponential("0.5", "10")), Map.of());
    a.notifyFailure();
    b.notifyFailure();

    assertThat(List.of(a.backoff(), a.backoff(), a.backoff()))
        .isEqualTo(List.of(b.backoff(), b.backoff(), b.backoff()));
  }

  @Test
  void badValuesNameTheKey() {
    assertThatThrownBy(
            () ->
                create(
                    Map.of(
                        "restart-strategy.type", "fixed-delay",
                        "restart-strategy.fixed-delay.attempts", "many"),
                    Map.of()))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessageContaining("restart-strategy.fixed-delay.attempts")
        .hasMessageContaining("many");
    assertThatThrownBy(() -> create(exponential("1.5", "3"), Map.of()))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessageContaining("restart-strategy.exponential-delay")
        .hasMessageContaining("jitter");
  }
}

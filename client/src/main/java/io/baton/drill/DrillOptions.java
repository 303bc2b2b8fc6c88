package io.baton.drill;

import java.time.Duration;

/**
 * The drill's validated command line.
 *
 * @param events the Ledger job's events; null to size them from the timeouts (see --help)
 */
record DrillOptions(
    int kills,
    FaultTarget target,
    FaultSignal signal,
    Duration interval,
    Long events,
    long rate,
    long seed,
    boolean start) {

  static final int DEFAULT_KILLS = 3;
  static final long DEFAULT_INTERVAL_S = 10;
  static final long DEFAULT_RATE = 500;

  /**
   * Validates the options as typed; each problem becomes an {@link IllegalArgumentException} with
   * one line naming the option and the value.
   */
  static DrillOptions parse(
      String kills,
      String target,
      String signal,
      String interval,
      String events,
      String rate,
      String seed,
      boolean start) {
    return new DrillOptions(
        (int) number("--kills", kills, 1, 10_000),
        FaultTarget.parse(target),
        FaultSignal.parse(signal),
        Duration.ofSeconds(number("--interval", interval, 0, 86_400)),
        events == null ? null : number("--events", events, 1, Integer.MAX_VALUE),
        number("--rate", rate, 1, 10_000_000),
        seed == null ? 0 : number("--seed", seed, Long.MIN_VALUE, Long.MAX_VALUE),
        start);
  }

  private static long number(String option, String value, long min, long max) {
    long n;
    try {
      n = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " takes a whole number, not '" + value + "'");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(
          option + " must be between " + min + " and " + max + ", not " + n);
    }
    return n;
  }
}

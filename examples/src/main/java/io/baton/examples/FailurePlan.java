package io.baton.examples;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;

/**
 * Where the {@link Ledger} job fails on purpose, so a run shows that restores keep the output
 * exactly once. The event range is cut into {@code failures} equal slices and failure {@code k}
 * (counted from 0) gets a position in slice {@code k}, drawn from the seed. Failure {@code k}
 * happens only in attempt {@code k} (the first run is attempt 0), so every restart gets past the
 * failure before it and the job ends after {@code failures} restarts.
 *
 * <p>It happens at the position's event or, when a restored checkpoint already covers that event,
 * at the next event of the same account: always in the one subtask that owns the account.
 */
final class FailurePlan implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long[] positions;
  private final int keys;

  private FailurePlan(long[] positions, int keys) {
    this.positions = positions;
    this.keys = keys;
  }

  /** No failures. */
  static FailurePlan none() {
    return new FailurePlan(new long[0], 1);
  }

  /**
   * @param failures how many failures, at most {@code events}
   * @param seed makes the positions; the same seed gives the same positions
   * @param events the number of events, at least {@code failures}
   * @param keys the number of accounts
   */
  static FailurePlan of(int failures, long seed, long events, int keys) {
    if (failures < 0 || failures > events) {
      throw new IllegalArgumentException(
          "the number of failures must be between 0 and the " + events + " events");
    }
    Random random = new Random(seed);
    long[] positions = new long[failures];
    for (int k = 0; k < failures; k++) {
      long sliceStart = sliceBound(k, failures, events);
      long sliceSize = sliceBound(k + 1, failures, events) - sliceStart;
      positions[k] = sliceStart + random.nextLong(sliceSize);
    }
    return new FailurePlan(positions, keys);
  }

  // k * events / failures, rounded down, without overflowing for huge event counts
  private static long sliceBound(int k, int failures, long events) {
    return k * (events / failures) + k * (events % failures) / failures;
  }

  /** The event each failure happens at (or after, on its account), by attempt. */
  long[] positions() {
    return positions.clone();
  }

  /**
   * The failure to throw at {@code event} in attempt {@code attempt}, if this is where it happens.
   */
  Optional<DeliberateFailure> failureAt(LedgerEvent event, int attempt) {
    if (attempt < 0 || attempt >= positions.length) {
      return Optional.empty();
    }
    long position = positions[attempt];
    if (event.index() < position || event.key() != position % keys) {
      return Optional.empty();
    }
    return Optional.of(
        new DeliberateFailure(
            "deliberate failure "
                + (attempt + 1)
                + " of "
                + positions.length
                + " at event "
                + event.index()));
  }

  @Override
  public String toString() {
    return "failures at events " + Arrays.toString(positions);
  }

  /** A failure the job asked for. */
  static final class DeliberateFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DeliberateFailure(String message) {
      super(message);
    }
  }
}

package io.baton.it;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the benchmarks sum up one measure over their repetitions: the median (of an even count, the
 * mean of the two middle values, rounded down) and the range, printed {@code median (min–max)}.
 */
final class MedianRange {
  private MedianRange() {}

  /** The median of {@code values} (not changed; at least one). */
  static long median(long[] values) {
    long[] sorted = sorted(values);
    return sorted.length % 2 == 1
        ? sorted[sorted.length / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  }

  /** {@code median (min–max)} of {@code values} (not changed; at least one). */
  static String format(long[] values) {
    long[] sorted = sorted(values);
    return String.format(
        Locale.ROOT, "%d (%d–%d)", median(sorted), sorted[0], sorted[sorted.length - 1]);
  }

  private static long[] sorted(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted;
  }
}

package io.baton.common.config;

import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * A rule between two options that each range allows on its own but not together, e.g. a heartbeat
 * timeout no longer than the heartbeat interval. {@link KnownOptions} lists the relations; the
 * start-up check applies them to the loaded configuration (defaults included).
 *
 * @param <T> the options' value type
 */
public final class OptionRelation<T extends Comparable<? super T>> {
  private final ConfigOption<T> option;
  private final ConfigOption<T> other;
  private final String must;
  private final BiPredicate<T, T> holds;

  private OptionRelation(
      ConfigOption<T> option, ConfigOption<T> other, String must, BiPredicate<T, T> holds) {
    this.option = option;
    this.other = other;
    this.must = must;
    this.holds = holds;
  }

  /** {@code option > other}, said as "must be {@code words}" ("longer than"). */
  public static <T extends Comparable<? super T>> OptionRelation<T> above(
      ConfigOption<T> option, ConfigOption<T> other, String words) {
    return new OptionRelation<>(option, other, words, (a, b) -> a.compareTo(b) > 0);
  }

  /** {@code option <= other}, said as "must be {@code words}" ("at most"). */
  public static <T extends Comparable<? super T>> OptionRelation<T> atMost(
      ConfigOption<T> option, ConfigOption<T> other, String words) {
    return new OptionRelation<>(option, other, words, (a, b) -> a.compareTo(b) <= 0);
  }

  /**
   * Checks the relation when both options have a value (set or default).
   *
   * @throws IllegalConfigurationException "configuration key 'a' (v) must be longer than 'b' (w)"
   */
  public void check(Configuration config) {
    Optional<T> value = config.getOptional(option);
    Optional<T> otherValue = config.getOptional(other);
    if (value.isEmpty() || otherValue.isEmpty() || holds.test(value.get(), otherValue.get())) {
      return;
    }
    throw new IllegalConfigurationException(
        "configuration key '"
            + option.key()
            + "' ("
            + option.print(value.get())
            + ") must be "
            + must
            + " '"
            + other.key()
            + "' ("
            + other.print(otherValue.get())
            + ")");
  }
}

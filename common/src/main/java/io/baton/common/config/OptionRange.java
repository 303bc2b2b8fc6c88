package io.baton.common.config;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The values a {@link ConfigOption} allows, with the text that names them in an error line and in
 * the README's configuration table ("0..65535", ">= 1", "> 0 ms").
 *
 * <p>Options declare their range where they are declared, next to the default, through {@link
 * ConfigOption#between}, {@link ConfigOption#atLeast}, {@link ConfigOption#positive} or, for a rule
 * that is no interval, {@link ConfigOption#checkedBy}.
 *
 * @param <T> the option's value type
 */
public final class OptionRange<T> {
  private final Predicate<T> allows;
  private final String text;

  private OptionRange(Predicate<T> allows, String text) {
    this.allows = Objects.requireNonNull(allows);
    this.text = Objects.requireNonNull(text);
  }

  /**
   * A range given by a test and its description.
   *
   * @param text what is allowed, as a user reads it: "a port number 0..65535"
   */
  public static <T> OptionRange<T> of(Predicate<T> allows, String text) {
    return new OptionRange<>(allows, text);
  }

  /** {@code min <= value <= max}. */
  static <T extends Comparable<? super T>> OptionRange<T> between(
      T min, T max, Function<T, String> printer) {
    if (min.compareTo(max) > 0) {
      throw new IllegalArgumentException("empty range " + min + ".." + max);
    }
    return new OptionRange<>(
        v -> v.compareTo(min) >= 0 && v.compareTo(max) <= 0,
        printer.apply(min) + ".." + printer.apply(max));
  }

  /** {@code value >= min}. */
  static <T extends Comparable<? super T>> OptionRange<T> atLeast(
      T min, Function<T, String> printer) {
    return new OptionRange<>(v -> v.compareTo(min) >= 0, ">= " + printer.apply(min));
  }

  /** {@code value > min}. */
  static <T extends Comparable<? super T>> OptionRange<T> greaterThan(
      T min, Function<T, String> printer) {
    return new OptionRange<>(v -> v.compareTo(min) > 0, "> " + printer.apply(min));
  }

  public boolean allows(T value) {
    return allows.test(value);
  }

  /** What is allowed, e.g. "1..65535" or ">= 1". */
  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }
}

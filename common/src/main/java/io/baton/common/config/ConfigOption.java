package io.baton.common.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A typed configuration key with its default, documentation and range. Values are kept as strings
 * in {@link Configuration} and parsed on access, so a bad value is reported with the key it belongs
 * to.
 *
 * <p>Each numeric or duration option declares the values it allows where it is declared, next to
 * its default:
 *
 * <pre>{@code
 * intOption("rest.port", 8081, "...").between(0, 65535)
 * intOption("parallelism.default", 1, "...").atLeast(1)
 * longOption("rest.upload.max-bytes", 512L << 20, "...").positive()
 * durationOption("slot.request.timeout", Duration.ofMinutes(5), "...").positive()
 * stringOption("some.port", "2181", "...").checkedBy(OptionRange.of(test, "a port 1..65535"))
 * }</pre>
 *
 * {@link #parse} rejects a value outside the range with one line naming the key, the value and the
 * range; the start-up check ({@link KnownOptions#validate}) parses every configured key, so a bad
 * value stops a process before it starts anything.
 *
 * @param <T> the value's type
 */
public final class ConfigOption<T> {
  private static final Pattern DURATION =
      Pattern.compile(
          "(\\d+)\\s*(ms|milli|millis|s|sec|secs|second|seconds|min|mins|minute|minutes|h|hour|hours|d|day|days)?");

  private final String key;
  private final T defaultValue;
  private final String typeName;
  private final String description;
  private final Function<String, T> parser;
  private final Function<T, String> printer;
  private final T zero;
  private final OptionRange<T> range;

  private ConfigOption(
      String key,
      T defaultValue,
      String typeName,
      String description,
      Function<String, T> parser,
      Function<T, String> printer,
      T zero,
      OptionRange<T> range) {
    this.key = Objects.requireNonNull(key);
    this.defaultValue = defaultValue;
    this.typeName = typeName;
    this.description = description;
    this.parser = parser;
    this.printer = printer;
    this.zero = zero;
    this.range = range;
    if (range != null && defaultValue != null && !range.allows(defaultValue)) {
      throw new IllegalArgumentException(
          "default " + printer.apply(defaultValue) + " of " + key + " is outside " + range);
    }
  }

  private ConfigOption(
      String key,
      T defaultValue,
      String typeName,
      String description,
      Function<String, T> parser,
      Function<T, String> printer,
      T zero) {
    this(key, defaultValue, typeName, description, parser, printer, zero, null);
  }

  public static ConfigOption<String> stringOption(
      String key, String defaultValue, String description) {
    return new ConfigOption<>(key, defaultValue, "String", description, s -> s, s -> s, null);
  }

  public static ConfigOption<Integer> intOption(
      String key, Integer defaultValue, String description) {
    return new ConfigOption<>(
        key,
        defaultValue,
        "Integer",
        description,
        s -> Integer.valueOf(s.trim()),
        String::valueOf,
        0);
  }

  public static ConfigOption<Long> longOption(String key, Long defaultValue, String description) {
    return new ConfigOption<>(
        key, defaultValue, "Long", description, s -> Long.valueOf(s.trim()), String::valueOf, 0L);
  }

  public static ConfigOption<Double> doubleOption(
      String key, Double defaultValue, String description) {
    return new ConfigOption<>(
        key, defaultValue, "Double", description, ConfigOption::parseDouble, String::valueOf, 0.0);
  }

  public static ConfigOption<Boolean> booleanOption(
      String key, Boolean defaultValue, String description) {
    return new ConfigOption<>(
        key,
        defaultValue,
        "Boolean",
        description,
        ConfigOption::parseBoolean,
        String::valueOf,
        null);
  }

  /** A duration: "500 ms", "10 s", "2 min", "1 h"; a bare number means milliseconds. */
  public static ConfigOption<Duration> durationOption(
      String key, Duration defaultValue, String description) {
    return new ConfigOption<>(
        key,
        defaultValue,
        "Duration",
        description,
        ConfigOption::parseDuration,
        ConfigOption::printDuration,
        Duration.ZERO);
  }

  /** One of an enum's constants, case-insensitive, '-' and '_' alike. */
  public static <E extends Enum<E>> ConfigOption<E> enumOption(
      String key, Class<E> type, E defaultValue, String description) {
    String allowed =
        Arrays.stream(type.getEnumConstants())
            .map(ConfigOption::printEnum)
            .collect(Collectors.joining(" | "));
    return new ConfigOption<>(
        key,
        defaultValue,
        "Enum (" + allowed + ")",
        description,
        s -> parseEnum(type, s),
        ConfigOption::printEnum,
        null);
  }

  /** This option allowing only {@code min <= value <= max}: {@code .between(0, 65535)}. */
  @SuppressWarnings("unchecked") // comparable() checked that T orders its values
  public ConfigOption<T> between(T min, T max) {
    return checkedBy(OptionRange.between(comparable(min), comparable(max), comparablePrinter()));
  }

  /** This option allowing only {@code value >= min}: {@code .atLeast(1)}. */
  @SuppressWarnings("unchecked") // comparable() checked that T orders its values
  public ConfigOption<T> atLeast(T min) {
    return checkedBy(OptionRange.atLeast(comparable(min), comparablePrinter()));
  }

  /** This option allowing only values above zero (numbers and durations). */
  @SuppressWarnings("unchecked") // comparable() checked that T orders its values
  public ConfigOption<T> positive() {
    if (zero == null) {
      throw new IllegalStateException(key + " is a " + typeName + ": it has no zero");
    }
    return checkedBy(OptionRange.greaterThan(comparable(zero), comparablePrinter()));
  }

  /** This option allowing only what {@code range} allows: for rules that are no interval. */
  public ConfigOption<T> checkedBy(OptionRange<T> range) {
    if (this.range != null) {
      throw new IllegalStateException(key + " already has the range " + this.range);
    }
    return new ConfigOption<>(
        key, defaultValue, typeName, description, parser, printer, zero, range);
  }

  /** The values this option allows, or empty when every value of its type is allowed. */
  public Optional<OptionRange<T>> range() {
    return Optional.ofNullable(range);
  }

  public String key() {
    return key;
  }

  /** The default, or empty when the option has none (then it must be set where it is needed). */
  public Optional<T> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  public String typeName() {
    return typeName;
  }

  public String description() {
    return description;
  }

  /** The default as it would be written in baton-conf.yaml, or "(none)". */
  public String defaultValueText() {
    return defaultValue == null ? "(none)" : printer.apply(defaultValue);
  }

  /**
   * Parses a raw value.
   *
   * @throws IllegalConfigurationException naming the key, the value and what was expected
   */
  public T parse(String raw) {
    T value = parseType(raw);
    if (range != null && !range.allows(value)) {
      throw new IllegalConfigurationException(
          "invalid value '"
              + raw
              + "' for configuration key '"
              + key
              + "': allowed range is "
              + range.text());
    }
    return value;
  }

  private T parseType(String raw) {
    try {
      T value = parser.apply(raw);
      if (value == null) {
        throw new IllegalArgumentException("empty");
      }
      return value;
    } catch (RuntimeException e) {
      throw new IllegalConfigurationException(
          "invalid value '"
              + raw
              + "' for configuration key '"
              + key
              + "': expected "
              + typeName
              + (e.getMessage() == null || e instanceof NumberFormatException
                  ? ""
                  : " (" + e.getMessage() + ")"),
          e);
    }
  }

  /** Formats a value the way {@link #parse} reads it. */
  public String print(T value) {
    return printer.apply(value);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Comparable comparable(T value) {
    if (!(value instanceof Comparable<?> c)) {
      throw new IllegalStateException(key + " is a " + typeName + ": its values have no order");
    }
    return c;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Function comparablePrinter() {
    return (Function) printer;
  }

  private static Double parseDouble(String s) {
    double d = Double.parseDouble(s.trim());
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("a finite number");
    }
    return d;
  }

  private static Boolean parseBoolean(String s) {
    String v = s.trim().toLowerCase(Locale.ROOT);
    if (v.equals("true") || v.equals("false")) {
      return Boolean.valueOf(v);
    }
    throw new IllegalArgumentException("true or false");
  }

  static Duration parseDuration(String s) {
    Matcher m = DURATION.matcher(s.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("like '500 ms', '10 s', '2 min'");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    return switch (unit.charAt(0)) {
      case 'm' ->
          unit.startsWith("mi") && !unit.startsWith("mil")
              ? Duration.ofMinutes(n)
              : Duration.ofMillis(n);
      case 's' -> Duration.ofSeconds(n);
      case 'h' -> Duration.ofHours(n);
      case 'd' -> Duration.ofDays(n);
      default -> throw new IllegalArgumentException("unknown unit " + unit);
    };
  }

  private static String printDuration(Duration d) {
    long ms = d.toMillis();
    if (ms % 60_000 == 0 && ms > 0) {
      return (ms / 60_000) + " min";
    }
    if (ms % 1000 == 0 && ms > 0) {
      return (ms / 1000) + " s";
    }
    return ms + " ms";
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String s) {
    String wanted = s.trim().replace('-', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(wanted)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown value");
  }

  private static String printEnum(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  @Override
  public String toString() {
    return key;
  }
}

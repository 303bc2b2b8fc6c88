package io.baton.common.config;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Key/value settings of a process or a job. Values are stored as strings and parsed by the {@link
 * ConfigOption} that reads them. Not thread-safe for writes: build it, then share it read-only.
 */
public final class Configuration {
  private final Map<String, String> values;

  public Configuration() {
    this.values = new TreeMap<>();
  }

  private Configuration(Map<String, String> values) {
    this.values = new TreeMap<>(values);
  }

  public static Configuration fromMap(Map<String, String> values) {
    return new Configuration(values);
  }

  /**
   * The option's value, else its default.
   *
   * @throws IllegalConfigurationException when the value does not parse, or the option is unset and
   *     has no default
   */
  public <T> T get(ConfigOption<T> option) {
    String raw = values.get(option.key());
    if (raw != null) {
      return option.parse(raw);
    }
    return option
        .defaultValue()
        .orElseThrow(
            () ->
                new IllegalConfigurationException(
                    "configuration key '" + option.key() + "' must be set"));
  }

  /** The option's value if set or defaulted. */
  public <T> Optional<T> getOptional(ConfigOption<T> option) {
    String raw = values.get(option.key());
    return raw != null ? Optional.of(option.parse(raw)) : option.defaultValue();
  }

  public boolean contains(ConfigOption<?> option) {
    return values.containsKey(option.key());
  }

  public <T> Configuration set(ConfigOption<T> option, T value) {
    values.put(option.key(), option.print(value));
    return this;
  }

  public Configuration setString(String key, String value) {
    values.put(key, value);
    return this;
  }

  public Optional<String> getString(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** A copy with {@code overrides} laid over this configuration. */
  public Configuration withOverrides(Map<String, String> overrides) {
    Configuration copy = new Configuration(values);
    copy.values.putAll(overrides);
    return copy;
  }

  public Configuration copy() {
    return new Configuration(values);
  }

  /** All explicitly set keys and their raw values, sorted by key. */
  public Map<String, String> toMap() {
    return Collections.unmodifiableMap(values);
  }

  @Override
  public String toString() {
    return values.toString();
  }
}

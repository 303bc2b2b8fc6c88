package io.baton.common.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every configuration key Baton reads; anything else in a configuration is a mistake. */
public final class KnownOptions {
  private static final List<Class<?>> HOLDERS =
      List.of(
          CoreOptions.class,
          JobManagerOptions.class,
          RestOptions.class,
          TaskManagerOptions.class,
          HeartbeatOptions.class,
          RestartStrategyOptions.class,
          CheckpointingOptions.class,
          HighAvailabilityOptions.class,
          StorageOptions.class,
          SecurityOptions.class,
          ResourceManagerOptions.class,
          YarnOptions.class,
          MetricOptions.class);

  /** Values that each option allows alone but not together. */
  private static final List<OptionRelation<?>> RELATIONS =
      List.of(
          OptionRelation.above(HeartbeatOptions.TIMEOUT, HeartbeatOptions.INTERVAL, "longer than"),
          OptionRelation.atMost(
              CoreOptions.DEFAULT_PARALLELISM, CoreOptions.MAX_PARALLELISM, "at most"),
          OptionRelation.atMost(
              RestartStrategyOptions.EXPONENTIAL_INITIAL_BACKOFF,
              RestartStrategyOptions.EXPONENTIAL_MAX_BACKOFF,
              "at most"));

  private final Map<String, ConfigOption<?>> byKey;

  private KnownOptions(Map<String, ConfigOption<?>> byKey) {
    this.byKey = byKey;
  }

  /** The options declared in Baton's option classes. */
  public static KnownOptions baton() {
    List<ConfigOption<?>> options = new ArrayList<>();
    for (Class<?> holder : HOLDERS) {
      for (Field f : holder.getFields()) {
        if (Modifier.isStatic(f.getModifiers())
            && ConfigOption.class.isAssignableFrom(f.getType())) {
          try {
            options.add((ConfigOption<?>) f.get(null));
          } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read option " + f, e);
          }
        }
      }
    }
    return new KnownOptions(
        options.stream().collect(Collectors.toMap(ConfigOption::key, Function.identity())));
  }

  public Optional<ConfigOption<?>> find(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  /** All options, sorted by key. */
  public List<ConfigOption<?>> all() {
    return byKey.values().stream().sorted(Comparator.comparing(ConfigOption::key)).toList();
  }

  /**
   * Checks the relations between options of a whole configuration (defaults included), e.g. that
   * heartbeat.timeout is longer than heartbeat.interval.
   *
   * @throws IllegalConfigurationException naming both keys and their values
   */
  public void validateRelations(Configuration config) {
    for (OptionRelation<?> relation : RELATIONS) {
      relation.check(config);
    }
  }

  /**
   * Checks every key and value of {@code config}.
   *
   * @param source where the configuration came from, for the message (e.g. "conf/baton-conf.yaml")
   * @throws IllegalConfigurationException naming the first unknown key or bad value
   */
  public void validate(Configuration config, String source) {
    for (Map.Entry<String, String> e : config.toMap().entrySet()) {
      ConfigOption<?> option = byKey.get(e.getKey());
      if (option == null) {
        throw new IllegalConfigurationException(
            "unknown configuration key '" + e.getKey() + "' in " + source);
      }
      try {
        option.parse(e.getValue());
      } catch (IllegalConfigurationException bad) {
        throw new IllegalConfigurationException(bad.getMessage() + " in " + source, bad);
      }
    }
  }
}

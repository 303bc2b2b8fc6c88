package io.baton.common.config;

import static io.baton.common.config.ConfigOption.intOption;
import static io.baton.common.config.ConfigOption.stringOption;

/** Job defaults and cluster-wide limits. */
public final class CoreOptions {
  private CoreOptions() {}

  public static final ConfigOption<Integer> DEFAULT_PARALLELISM =
      intOption(
              "parallelism.default",
              1,
              "Parallelism of operators that set none and were submitted without -p.")
          .atLeast(1);

  public static final ConfigOption<Integer> MAX_PARALLELISM =
      intOption(
              "parallelism.max",
              1024,
              "Largest parallelism a submitted job may ask for; more is rejected with HTTP 400.")
          .between(1, 32768);

  public static final ConfigOption<String> TMP_DIRS =
      stringOption(
          "io.tmp.dirs",
          System.getProperty("java.io.tmpdir"),
          "Directory for uploaded jars, downloaded job jars and other local scratch files.");
}

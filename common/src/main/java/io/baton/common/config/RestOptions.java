package io.baton.common.config;

import static io.baton.common.config.ConfigOption.intOption;
import static io.baton.common.config.ConfigOption.longOption;
import static io.baton.common.config.ConfigOption.stringOption;

/** The JobManager's HTTP/JSON API. */
public final class RestOptions {
  private RestOptions() {}

  public static final ConfigOption<String> ADDRESS =
      stringOption(
          "rest.address",
          "localhost",
          "Host clients (bin/baton, scripts) use to reach the REST API.");

  public static final ConfigOption<Integer> PORT =
      intOption("rest.port", 8081, "Port of the REST API; 0 picks a free port.").between(0, 65535);

  public static final ConfigOption<String> BIND_ADDRESS =
      stringOption("rest.bind-address", "0.0.0.0", "Interface the REST server binds to.");

  public static final ConfigOption<Long> MAX_UPLOAD_BYTES =
      longOption(
              "rest.upload.max-bytes",
              512L * 1024 * 1024,
              "Largest job jar POST /jars/upload accepts.")
          .positive();
}

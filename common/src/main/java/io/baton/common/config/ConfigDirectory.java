package io.baton.common.config;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where a Baton process started from {@code bin/} reads {@code baton-conf.yaml}: the directory
 * given on its command line, else {@code $BATON_CONF_DIR}, else {@code ./conf}.
 */
public final class ConfigDirectory {
  /** The environment variable the scripts set to the distribution's {@code conf/}. */
  public static final String ENVIRONMENT_VARIABLE = "BATON_CONF_DIR";

  private ConfigDirectory() {}

  /**
   * @param explicit the directory named on the command line, or null
   * @param environment looks up environment variables (e.g. {@code System::getenv})
   */
  public static Path resolve(Path explicit, Function<String, String> environment) {
    if (explicit != null) {
      return explicit;
    }
    String fromEnvironment = environment.apply(ENVIRONMENT_VARIABLE);
    return Path.of(
        fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment : "conf");
  }
}

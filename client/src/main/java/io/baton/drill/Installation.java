package io.baton.drill;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the Baton installation the drill works on lives, as bin/config.sh resolved it: the scripts,
 * the configuration, the pid files of the processes bin/ started, the examples jar, and how long
 * bin/ gives a SIGTERMed process before SIGKILL (BATON_STOP_TIMEOUT in seconds; null: default).
 */
record Installation(Path home, Path confDir, Path pidDir, Path logDir, String stopTimeout) {

  /** From BATON_HOME, BATON_CONF_DIR, BATON_PID_DIR, BATON_LOG_DIR and BATON_STOP_TIMEOUT. */
  static Installation fromEnvironment(Map<String, String> env) {
    String home = env.get("BATON_HOME");
    if (home == null || home.isBlank()) {
      throw new DrillException(
          "BATON_HOME is not set: run the drill through bin/failover-drill.sh");
    }
    Path homeDir = Path.of(home).toAbsolutePath();
    Path logDir = pathOr(env, "BATON_LOG_DIR", homeDir.resolve("log"));
    return new Installation(
        homeDir,
        pathOr(env, "BATON_CONF_DIR", homeDir.resolve("conf")),
        pathOr(env, "BATON_PID_DIR", logDir),
        logDir,
        env.get("BATON_STOP_TIMEOUT"));
  }

  Path bin() {
    return home.resolve("bin");
  }

  Path examplesJar() {
    return home.resolve("examples").resolve("target").resolve("baton-examples.jar");
  }

  private static Path pathOr(Map<String, String> env, String name, Path fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : Path.of(value).toAbsolutePath();
  }
}

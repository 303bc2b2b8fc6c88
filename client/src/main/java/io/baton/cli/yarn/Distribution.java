package io.baton.cli.yarn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options of a command that ships the installation to YARN ({@code yarn-session.sh -d}, {@code
 * baton run-application}): where its {@code conf/} ({@code --conf}, else {@code $BATON_CONF_DIR},
 * else {@code ./conf}) and {@code lib/} ({@code --lib}, else {@code $BATON_HOME/lib}, else {@code
 * ./lib}) are, and {@code -D} overrides. A picocli mixin.
 */
public final class Distribution {
  @Option(
      names = "--conf",
      paramLabel = "DIR",
      description = "Directory with baton-conf.yaml (default: $BATON_CONF_DIR, else ./conf)")
  Path confDir;

  @Option(
      names = "--lib",
      paramLabel = "DIR",
      description = "The distribution's jars (default: $BATON_HOME/lib)")
  Path libDir;

  @Option(names = "-D", paramLabel = "key=value", description = "Overrides a configuration key.")
  Map<String, String> overrides = new LinkedHashMap<>();

  /** The configuration directory. */
  public Path conf(Map<String, String> env) {
    if (confDir != null) {
      return confDir;
    }
    String dir = env.get("BATON_CONF_DIR");
    return dir != null && !dir.isBlank() ? Path.of(dir) : Path.of("conf");
  }

  /**
   * The jars.
   *
   * @throws YarnDeploymentException when it is no directory
   */
  public Path lib(Map<String, String> env) {
    Path lib = libDir;
    if (lib == null) {
      String home = env.get("BATON_HOME");
      lib = home != null && !home.isBlank() ? Path.of(home, "lib") : Path.of("lib");
    }
    if (!Files.isDirectory(lib)) {
      throw new YarnDeploymentException("no lib directory at " + lib.toAbsolutePath());
    }
    return lib;
  }

  /** The {@code -D key=value} overrides, in the order given. */
  public Map<String, String> overrides() {
    return overrides;
  }
}

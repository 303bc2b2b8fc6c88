package io.baton.cli.yarn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the installation a YARN deployment ships lives: {@code conf/} ({@code --conf}, else {@code
 * $BATON_CONF_DIR}, else {@code ./conf}) and {@code lib/} ({@code --lib}, else {@code
 * $BATON_HOME/lib}, else {@code ./lib}).
 */
public final class Distribution {
  private Distribution() {}

  /** The configuration directory; {@code given} (may be null) wins. */
  public static Path conf(Path given, Map<String, String> env) {
    if (given != null) {
      return given;
    }
    String dir = env.get("BATON_CONF_DIR");
    return dir != null && !dir.isBlank() ? Path.of(dir) : Path.of("conf");
  }

  /**
   * The jars; {@code given} (may be null) wins.
   *
   * @throws YarnDeploymentException when it is no directory
   */
  public static Path lib(Path given, Map<String, String> env) {
    Path lib = given;
    if (lib == null) {
      String home = env.get("BATON_HOME");
      lib = home != null && !home.isBlank() ? Path.of(home, "lib") : Path.of("lib");
    }
    if (!Files.isDirectory(lib)) {
      throw new YarnDeploymentException("no lib directory at " + lib.toAbsolutePath());
    }
    return lib;
  }
}

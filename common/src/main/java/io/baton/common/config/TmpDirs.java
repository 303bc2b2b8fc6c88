package io.baton.common.config;

import java.io.File;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Reads io.tmp.dirs, where a process keeps its local scratch files. */
public final class TmpDirs {
  private static final Pattern SEPARATOR =
      Pattern.compile("[," + Pattern.quote(File.pathSeparator) + "]");

  private TmpDirs() {}

  /**
   * The first directory of io.tmp.dirs.
   *
   * @throws IllegalConfigurationException when io.tmp.dirs names none
   */
  public static Path first(Configuration config) {
    String dirs = config.get(CoreOptions.TMP_DIRS);
    String first = SEPARATOR.split(dirs, -1)[0].trim();
    if (first.isEmpty()) {
      throw new IllegalConfigurationException(
          "invalid value '"
              + dirs
              + "' for configuration key '"
              + CoreOptions.TMP_DIRS.key()
              + "'");
    }
    return Path.of(first);
  }
}

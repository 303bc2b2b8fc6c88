package io.baton.common.diagnostics;

import java.util.Objects;

/**
 * Which log file to read the end of, and how much of it.
 *
 * @param name the file's name for {@link Which#NAMED}; empty otherwise
 * @param maxBytes at most this many of its last bytes (the reader caps it at {@link
 *     LogDirectory#MAX_READ_BYTES})
 */
public record LogRead(Which which, String name, int maxBytes) {
  public LogRead {
    Objects.requireNonNull(which, "which");
    name = name == null ? "" : name;
  }

  /** The log file, its {@code .out} file, or a file of the log directory by name. */
  public enum Which {
    LOG,
    STDOUT,
    NAMED
  }

  public static LogRead log(int maxBytes) {
    return new LogRead(Which.LOG, "", maxBytes);
  }

  public static LogRead stdout(int maxBytes) {
    return new LogRead(Which.STDOUT, "", maxBytes);
  }

  public static LogRead named(String name, int maxBytes) {
    return new LogRead(Which.NAMED, name, maxBytes);
  }
}

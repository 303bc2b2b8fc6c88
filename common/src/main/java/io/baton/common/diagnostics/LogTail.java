package io.baton.common.diagnostics;

import java.util.Objects;

/**
 * The end of a log file: at most the bytes asked for, the file's last ones.
 *
 * @param name the file's name in its log directory
 * @param bytes the file's last bytes (all of it when it is small enough)
 */
public record LogTail(String name, byte[] bytes) {
  public LogTail {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(bytes, "bytes");
  }
}

package io.baton.common.diagnostics;

import java.util.Objects;

/**
 * One file of a process's log directory, as Flink's {@code LogInfo} lists it.
 *
 * @param size bytes
 * @param mtime last modification, epoch millis
 */
public record LogFileInfo(String name, long size, long mtime) {
  public LogFileInfo {
    Objects.requireNonNull(name, "name");
  }
}

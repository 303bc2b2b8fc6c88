package io.baton.common.diagnostics;

import java.util.List;

/**
 * A process's log files, as Flink's {@code LogListInfo} lists them.
 *
 * @param hasLogFile false: the process writes no log file (it was started without {@code
 *     baton.log.file}), and {@code files} is empty
 */
public record LogListing(boolean hasLogFile, List<LogFileInfo> files) {
  public LogListing {
    files = List.copyOf(files);
  }
}

package io.baton.common.diagnostics;

import java.util.Optional;

/**
 * What reading a log file found.
 *
 * @param hasLogFile false: the process writes no log file, so nothing was read
 * @param tail the file's end; empty when there is no such file
 */
public record LogReadResult(boolean hasLogFile, Optional<LogTail> tail) {}

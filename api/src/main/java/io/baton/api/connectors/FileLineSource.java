package io.baton.api.connectors;

import io.baton.api.connector.Source;
import io.baton.api.connector.SourceReader;
import io.baton.api.functions.TaskInfo;
import java.util.Objects;

/**
 * Reads the lines of a UTF-8 text file on the TaskManagers' local filesystem. Subtask {@code s} of
 * {@code p} reads the lines whose 0-based number modulo {@code p} is {@code s}. Bounded; the
 * checkpointed state is the number of lines consumed.
 */
public final class FileLineSource implements Source<String> {
  private final String path;

  public FileLineSource(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("the input file path must not be blank");
    }
    this.path = path;
  }

  public String path() {
    return path;
  }

  @Override
  public SourceReader<String> createReader(TaskInfo taskInfo) {
    Objects.requireNonNull(taskInfo, "taskInfo");
    return new FileLineSourceReader(path, taskInfo.subtaskIndex(), taskInfo.parallelism());
  }

  @Override
  public boolean isBounded() {
    return true;
  }
}

package io.baton.api.connectors;

import io.baton.api.connector.Source;
import io.baton.api.connector.SourceReader;
import io.baton.api.functions.TaskInfo;
import java.util.Objects;

/**
 * Reads the lines of a UTF-8 text file, named by a plain path (the TaskManagers' local filesystem)
 * or a {@code file://}, {@code hdfs://} or {@code s3://} URI. Subtask {@code s} of {@code p} reads
 * the lines whose 0-based number modulo {@code p} is {@code s}. Bounded; the checkpointed state is
 * the subtask, the parallelism and the number of lines consumed, so a source restored with another
 * parallelism emits each line not emitted before the checkpoint exactly once.
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
    return new FileLineSourceReader(
        taskInfo.fileSystem(), path, taskInfo.subtaskIndex(), taskInfo.parallelism());
  }

  @Override
  public boolean isBounded() {
    return true;
  }
}

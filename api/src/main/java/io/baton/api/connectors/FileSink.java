package io.baton.api.connectors;

import io.baton.api.connector.Sink;
import io.baton.api.connector.SinkWriter;
import io.baton.api.functions.TaskInfo;
import java.util.Objects;

/**
 * Writes records as lines of UTF-8 text into a directory, exactly once. The directory is a plain
 * path (the TaskManagers' local filesystem) or a {@code file://}, {@code hdfs://} or {@code
 * s3://bucket/prefix} URI, reached through {@link TaskInfo#fileSystem()}. Each subtask writes into
 * hidden in-progress files {@code <dir>/.inprogress/part-<subtask>-<n>-<uuid>}; one becomes visible
 * as {@code <dir>/part-<subtask>-<n>} by a rename only when committed: when the checkpoint that
 * closed it completes, or when a bounded input ends. Readers of the output ignore hidden files (and
 * the hidden {@code .inprogress} directory). On a restore the output is rolled back to the restored
 * checkpoint: parts committed after it are deleted, because the replay writes their records again
 * (this matters when a restore falls back past a damaged newer checkpoint, or when a job resumes
 * from an older savepoint).
 *
 * @param <T> record type
 */
public final class FileSink<T> implements Sink<T> {
  private final String directory;
  private final RecordFormatter<T> formatter;

  /** Writes each record's {@code toString()}. */
  public FileSink(String directory) {
    this(directory, new ToStringFormatter<>());
  }

  /** Writes what {@code formatter} makes of each record. */
  public FileSink(String directory, RecordFormatter<T> formatter) {
    if (directory == null || directory.isBlank()) {
      throw new IllegalArgumentException("the output directory must not be blank");
    }
    this.directory = directory;
    this.formatter = Objects.requireNonNull(formatter, "formatter");
  }

  public String directory() {
    return directory;
  }

  @Override
  public SinkWriter<T> createWriter(TaskInfo taskInfo) {
    return new FileSinkWriter<>(
        taskInfo.fileSystem(),
        directory,
        formatter,
        taskInfo.subtaskIndex(),
        taskInfo.parallelism());
  }

  private static final class ToStringFormatter<T> implements RecordFormatter<T> {
    @Override
    public String format(T record) {
      return String.valueOf(record);
    }
  }
}

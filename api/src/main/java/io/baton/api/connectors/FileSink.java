package io.baton.api.connectors;

import io.baton.api.connector.Sink;
import io.baton.api.connector.SinkWriter;
import io.baton.api.functions.TaskInfo;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes records as lines of UTF-8 text into a directory on the local filesystem, exactly once:
 * each subtask writes into a hidden in-progress file {@code .part-<subtask>-<n>.inprogress.<uuid>}
 * that becomes visible as {@code part-<subtask>-<n>} by an atomic rename only when committed: when
 * the checkpoint that closed it completes, or when a bounded input ends. Readers of the output
 * ignore hidden files. The directory is created if missing.
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
    return new FileSinkWriter<>(Path.of(directory), formatter, taskInfo.subtaskIndex());
  }

  private static final class ToStringFormatter<T> implements RecordFormatter<T> {
    @Override
    public String format(T record) {
      return String.valueOf(record);
    }
  }
}

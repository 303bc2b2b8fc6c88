package io.baton.api.connectors;

import io.baton.api.connector.Sink;
import io.baton.api.connector.SinkWriter;
import io.baton.api.functions.TaskInfo;
import java.io.PrintStream;

/**
 * Prints each record as {@code "<subtask>> <record>"} to the TaskManager's standard output, where
 * {@code <subtask>} is the 0-based index of the parallel instance. For trying jobs out; not
 * transactional.
 */
public final class PrintSink<T> implements Sink<T> {

  @Override
  public SinkWriter<T> createWriter(TaskInfo taskInfo) {
    return new PrintSinkWriter<>(System.out, taskInfo.subtaskIndex());
  }

  /** Writes to one stream with the subtask's prefix. */
  static final class PrintSinkWriter<T> implements SinkWriter<T> {
    private final PrintStream out;
    private final String prefix;

    PrintSinkWriter(PrintStream out, int subtask) {
      this.out = out;
      this.prefix = subtask + "> ";
    }

    @Override
    public void write(T record) {
      out.println(prefix + record);
    }

    @Override
    public void finish() {
      out.flush();
    }
  }
}

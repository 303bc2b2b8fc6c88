package io.baton.taskmanager.operators;

import io.baton.api.connector.Sink;
import io.baton.api.connector.SinkWriter;
import io.baton.api.functions.Collector;
import io.baton.api.functions.TaskInfo;

/** Ends a chain: hands each record to this subtask's {@link SinkWriter}. */
final class SinkOperator implements ChainedOperator, Collector<Object> {
  private final String name;
  private final Sink<Object> sink;
  private final TaskInfo taskInfo;
  private SinkWriter<Object> writer;
  private RestoredOperatorState restored;
  private long recordsWritten;

  SinkOperator(String name, Sink<Object> sink, TaskInfo taskInfo) {
    this.name = name;
    this.sink = sink;
    this.taskInfo = taskInfo;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void open() throws Exception {
    writer = sink.createWriter(taskInfo);
    if (restored instanceof RestoredOperatorState.Same same) {
      writer.restoreState(same.state());
    } else if (restored instanceof RestoredOperatorState.Rescaled rescaled) {
      writer.restoreRescaledState(rescaled.previousStates());
    }
    restored = null;
    writer.open();
  }

  @Override
  public void collect(Object record) {
    try {
      writer.write(record);
    } catch (Exception e) {
      throw OperatorException.wrap(name, e);
    }
    recordsWritten++;
  }

  @Override
  public void endOfInput() throws Exception {
    writer.finish();
  }

  @Override
  public void close() throws Exception {
    if (writer != null) {
      writer.close();
    }
  }

  /** Gives the writer this state before it opens. */
  void restoreBeforeOpen(RestoredOperatorState state) {
    this.restored = state;
  }

  byte[] snapshotState(long checkpointId) throws Exception {
    return writer.snapshotState(checkpointId);
  }

  void notifyCheckpointComplete(long checkpointId) throws Exception {
    writer.notifyCheckpointComplete(checkpointId);
  }

  long recordsWritten() {
    return recordsWritten;
  }
}

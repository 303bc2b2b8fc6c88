package io.baton.taskmanager.operators;

import io.baton.api.connector.InputStatus;
import io.baton.api.connector.Source;
import io.baton.api.connector.SourceReader;
import io.baton.api.functions.Collector;
import io.baton.api.functions.TaskInfo;

/**
 * Heads a source chain: the task polls it, and the subtask's {@link SourceReader} emits into the
 * rest of the chain.
 */
public final class SourceOperator implements ChainedOperator {
  private final String name;
  private final Source<Object> source;
  private final TaskInfo taskInfo;
  private final Collector<Object> out;
  private SourceReader<Object> reader;
  private RestoredOperatorState restored;

  SourceOperator(String name, Source<Object> source, TaskInfo taskInfo, Collector<Object> out) {
    this.name = name;
    this.source = source;
    this.taskInfo = taskInfo;
    this.out = out;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void open() throws Exception {
    reader = source.createReader(taskInfo);
    if (restored instanceof RestoredOperatorState.Same same) {
      reader.restoreState(same.state());
    } else if (restored instanceof RestoredOperatorState.Rescaled rescaled) {
      reader.restoreRescaledState(rescaled.previousStates());
    }
    restored = null;
    reader.open();
  }

  /** Lets the reader emit a small batch; see {@link SourceReader#pollNext}. */
  public InputStatus pollNext() throws Exception {
    return reader.pollNext(out);
  }

  /** After NOTHING_AVAILABLE: how long the reader suggests to wait. */
  public long nanosUntilAvailable() {
    return reader.nanosUntilAvailable();
  }

  /** Gives the reader this state before it opens. */
  void restoreBeforeOpen(RestoredOperatorState state) {
    this.restored = state;
  }

  byte[] snapshotState(long checkpointId) throws Exception {
    return reader.snapshotState(checkpointId);
  }

  void notifyCheckpointComplete(long checkpointId) throws Exception {
    reader.notifyCheckpointComplete(checkpointId);
  }

  public boolean isBounded() {
    return source.isBounded();
  }

  @Override
  public void close() throws Exception {
    if (reader != null) {
      reader.close();
    }
  }
}

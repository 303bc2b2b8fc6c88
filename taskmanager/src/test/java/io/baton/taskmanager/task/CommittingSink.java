package io.baton.taskmanager.task;

import io.baton.api.connector.Sink;
import io.baton.api.connector.SinkWriter;
import io.baton.api.functions.TaskInfo;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A sink that leaves its records under {@code id + "/records"} and its checkpoint life under {@code
 * id + "/events"}: "snapshot <checkpoint> <subtask>", "commit <checkpoint> <subtask>", "finish
 * <subtask>", "restored <state>". Its state is "<subtask>:<records written>".
 */
public record CommittingSink(String id) implements Sink<Object> {

  public String records() {
    return id + "/records";
  }

  public String events() {
    return id + "/events";
  }

  @Override
  public SinkWriter<Object> createWriter(TaskInfo taskInfo) {
    int subtask = taskInfo.subtaskIndex();
    return new SinkWriter<>() {
      private long written;

      @Override
      public void write(Object record) {
        Recorder.add(records(), record);
        written++;
      }

      @Override
      public byte[] snapshotState(long checkpointId) {
        Recorder.add(events(), "snapshot " + checkpointId + " " + subtask);
        return (subtask + ":" + written).getBytes(StandardCharsets.UTF_8);
      }

      @Override
      public void notifyCheckpointComplete(long checkpointId) {
        Recorder.add(events(), "commit " + checkpointId + " " + subtask);
      }

      @Override
      public void restoreState(byte[] state) {
        Recorder.add(events(), "restored same " + new String(state, StandardCharsets.UTF_8));
      }

      @Override
      public void restoreRescaledState(List<byte[]> previousStates) {
        Recorder.add(
            events(),
            "restored rescaled "
                + previousStates.stream().map(s -> new String(s, StandardCharsets.UTF_8)).toList());
      }

      @Override
      public void finish() {
        Recorder.add(events(), "finish " + subtask);
      }
    };
  }
}

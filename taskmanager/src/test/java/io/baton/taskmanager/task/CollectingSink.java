package io.baton.taskmanager.task;

import io.baton.api.connector.Sink;
import io.baton.api.connector.SinkWriter;
import io.baton.api.functions.TaskInfo;

/**
 * Leaves every record in the recorder under {@code id + "/records"} and the writers' lifecycle
 * ("open 0", "finish 0", "close 0" with the subtask index) under {@code id + "/events"}.
 */
record CollectingSink(String id) implements Sink<Object> {

  String records() {
    return id + "/records";
  }

  String events() {
    return id + "/events";
  }

  @Override
  public SinkWriter<Object> createWriter(TaskInfo taskInfo) {
    int subtask = taskInfo.subtaskIndex();
    return new SinkWriter<>() {
      @Override
      public void open() {
        Recorder.add(events(), "open " + subtask);
      }

      @Override
      public void write(Object record) {
        Recorder.add(records(), record);
      }

      @Override
      public void finish() {
        Recorder.add(events(), "finish " + subtask);
      }

      @Override
      public void close() {
        Recorder.add(events(), "close " + subtask);
      }
    };
  }
}

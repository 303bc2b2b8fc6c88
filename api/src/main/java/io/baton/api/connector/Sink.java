package io.baton.api.connector;

import io.baton.api.functions.TaskInfo;
import java.io.Serializable;

/** Where a stream ends. Each parallel instance creates its own {@link SinkWriter}. */
public interface Sink<T> extends Serializable {
  SinkWriter<T> createWriter(TaskInfo taskInfo) throws Exception;
}

package io.baton.api.connector;

import io.baton.api.functions.TaskInfo;
import java.io.Serializable;

/**
 * A source of records. The source object travels in the job graph; each parallel instance creates
 * its own {@link SourceReader} on the TaskManager.
 */
public interface Source<T> extends Serializable {

  SourceReader<T> createReader(TaskInfo taskInfo) throws Exception;

  /** True when the source ends by itself (then the job can finish). */
  boolean isBounded();
}

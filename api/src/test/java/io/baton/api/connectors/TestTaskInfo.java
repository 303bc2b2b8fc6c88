package io.baton.api.connectors;

import io.baton.api.fs.FileSystemAccess;
import io.baton.api.functions.TaskInfo;

/** The task a reader or writer under test believes it runs in. */
record TestTaskInfo(int subtaskIndex, int parallelism, FileSystemAccess fileSystem)
    implements TaskInfo {

  /** A task with local files. */
  TestTaskInfo(int subtaskIndex, int parallelism) {
    this(subtaskIndex, parallelism, FileSystemAccess.local());
  }

  @Override
  public String jobId() {
    return "0123456789abcdef0123456789abcdef";
  }

  @Override
  public String taskName() {
    return "test";
  }

  @Override
  public int maxParallelism() {
    return 128;
  }

  @Override
  public int attemptNumber() {
    return 0;
  }
}

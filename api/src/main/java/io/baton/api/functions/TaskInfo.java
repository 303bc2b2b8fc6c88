package io.baton.api.functions;

/** Which parallel instance of which task a function, source or sink runs as. */
public interface TaskInfo {
  /** The job's id (32 hex digits). */
  String jobId();

  /** The task's name, as shown in the REST API. */
  String taskName();

  /** 0-based index of this parallel instance. */
  int subtaskIndex();

  /** Number of parallel instances of this task. */
  int parallelism();

  /** Upper bound for rescaling; the number of key groups. */
  int maxParallelism();

  /** 0 for the first run, incremented on each restart of the job. */
  int attemptNumber();

  /**
   * The files a connector may read and write: on a cluster, every scheme Baton's storage supports
   * (file://, hdfs://, s3://); by default local files only.
   */
  default io.baton.api.fs.FileSystemAccess fileSystem() {
    return io.baton.api.fs.FileSystemAccess.local();
  }
}

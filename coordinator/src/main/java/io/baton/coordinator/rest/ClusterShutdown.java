package io.baton.coordinator.rest;

/**
 * What {@code DELETE /cluster} asks of the process that runs the JobManager (as Flink's REST API
 * has it): to end the cluster for good. Only a process that owns the cluster's life (a YARN
 * session's ApplicationMaster) passes one; elsewhere the route answers 405.
 */
@FunctionalInterface
public interface ClusterShutdown {

  /** Starts ending the cluster and returns at once; what is ended is the process's to say. */
  void requestShutdown();
}

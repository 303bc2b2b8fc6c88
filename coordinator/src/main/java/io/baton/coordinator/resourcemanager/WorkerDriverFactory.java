package io.baton.coordinator.resourcemanager;

/**
 * Makes the worker driver of one leadership session's resource manager. The JobManager's default
 * reads {@code resourcemanager.driver}; a deployment that hosts the JobManager (a YARN
 * ApplicationMaster) passes its own through {@code JobManager.Builder#workerDrivers}.
 */
@FunctionalInterface
public interface WorkerDriverFactory {

  /**
   * @param jobManagerRpcPort the port this JobManager's RPC server is bound to, which its workers
   *     register at
   */
  WorkerDriver create(int jobManagerRpcPort);
}

package io.baton.coordinator.status;

/** A job's state, named as Flink names them. */
public enum JobStatus {
  INITIALIZING,
  CREATED,
  /**
   * A new leader recovered the job and waits for its TaskManagers to report the tasks the previous
   * leader deployed, to adopt them rather than restart them (jobmanager.failover.reconcile).
   */
  RECONCILING,
  RUNNING,
  FAILING,
  CANCELLING,
  CANCELED,
  FINISHED,
  RESTARTING,
  FAILED,
  SUSPENDED;

  /** FINISHED, CANCELED and FAILED: the job will never run again. */
  public boolean isGloballyTerminal() {
    return this == FINISHED || this == CANCELED || this == FAILED;
  }
}

package io.baton.coordinator.scheduler;

import io.baton.ha.DeploymentRecord;

/**
 * Makes where the job's current attempt runs durable, so that a later leader can adopt the running
 * tasks instead of restarting them. The scheduler tells it each attempt it deploys, on the job
 * master's main thread; the write itself must not block that thread.
 */
@FunctionalInterface
public interface DeploymentJournal {

  /** Records nothing: for jobs whose tasks no later leader adopts. */
  DeploymentJournal NONE = record -> {};

  /** The scheduler deploys {@code record}'s attempt now. Main thread; returns without blocking. */
  void deploying(DeploymentRecord record);
}

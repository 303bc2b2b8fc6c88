package io.baton.coordinator.resourcemanager;

import io.baton.common.ids.TaskManagerId;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Today's cluster: TaskManagers are started by hand; nothing is started, replaced or stopped. */
public final class StandaloneWorkerDriver implements WorkerDriver {

  @Override
  public boolean isActive() {
    return false;
  }

  @Override
  public void start(Listener listener) {}

  @Override
  public CompletableFuture<Void> startWorker(TaskManagerId id) {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException(
            "resourcemanager.driver standalone starts no TaskManager"));
  }

  @Override
  public void releaseWorker(TaskManagerId id) {}

  @Override
  public void close(Duration timeout) {}

  @Override
  public String toString() {
    return "standalone";
  }
}

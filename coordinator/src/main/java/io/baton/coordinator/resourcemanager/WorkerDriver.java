package io.baton.coordinator.resourcemanager;

import io.baton.common.ids.TaskManagerId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Starts and stops TaskManager processes for the resource manager: the one seam between its policy
 * (how many workers, when to replace or release one) and a cluster manager (this host's processes,
 * YARN containers). A driver decides nothing; the resource manager calls it on its main thread, and
 * the driver reports back through {@link Listener} from any thread.
 */
public interface WorkerDriver {

  /**
   * Whether this driver starts workers at all. A passive driver (standalone) gets no calls but
   * {@link #start} and {@link #close}: its TaskManagers are started by hand.
   */
  boolean isActive();

  /** Called once before any other call. */
  void start(Listener listener);

  /**
   * Workers still running that an earlier incarnation of this driver started (on YARN: the
   * TaskManager containers of the ApplicationMaster's previous attempt), asked once after {@link
   * #start}. Until it completes the resource manager starts no worker, so a recovered job's slots
   * are not asked for twice; it counts them as its own, waiting for them to register.
   */
  default CompletableFuture<List<TaskManagerId>> recoveredWorkers() {
    return CompletableFuture.completedFuture(List.of());
  }

  /**
   * Starts one TaskManager that registers with this JobManager under {@code id}.
   *
   * @return completes once the process or container was launched (not registered), or fails with
   *     why it could not be
   */
  CompletableFuture<Void> startWorker(TaskManagerId id);

  /** Stops a worker this driver started; a worker that ended already is forgotten. */
  void releaseWorker(TaskManagerId id);

  /** Stops every worker this driver started and frees what it holds, within {@code timeout}. */
  void close(Duration timeout);

  /** What a driver reports about its workers. Implementations return at once. */
  interface Listener {
    /**
     * A worker's process or container ended (or was lost by the cluster manager), whatever the
     * resource manager asked.
     *
     * @param diagnostics one line: exit code, signal, the cluster manager's reason
     */
    void workerEnded(TaskManagerId id, String diagnostics);
  }
}

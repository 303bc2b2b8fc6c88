package io.baton.coordinator.jobmaster;

import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.coordinator.scheduler.DeploymentJournal;
import io.baton.ha.DeploymentRecord;
import io.baton.ha.LeadershipLostException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a job's deployment records to the HA store on the I/O executor, one after the other in the
 * order the attempts were deployed (a newer attempt's record is never overwritten by an older one
 * still in flight). A refused write means another JobManager leads: the job master hears it on its
 * main thread. Any other failure only costs the adoption: the job runs on, and a new leader would
 * restart it from its checkpoint instead of adopting its tasks.
 */
final class DeploymentRecording implements DeploymentJournal {
  private static final Logger LOG = LoggerFactory.getLogger(DeploymentRecording.class);

  private final JobLifecycleStores stores;
  private final Executor io;
  private final MainThreadExecutor mainThread;
  private final Consumer<String> leadershipLost;
  private final IntSupplier reconciliations;
  // main thread only: the write before the next one
  private CompletableFuture<Void> lastWrite = CompletableFuture.completedFuture(null);

  /**
   * @param leadershipLost told on the main thread why a write was refused
   * @param reconciliations how many times new leaders adopted the job so far (main thread): each
   *     record carries it to the next leader
   */
  DeploymentRecording(
      JobLifecycleStores stores,
      Executor io,
      MainThreadExecutor mainThread,
      Consumer<String> leadershipLost,
      IntSupplier reconciliations) {
    this.stores = stores;
    this.io = io;
    this.mainThread = mainThread;
    this.leadershipLost = leadershipLost;
    this.reconciliations = reconciliations;
  }

  /** Records the deployment signed by this leader, with the job's adoption count. */
  @Override
  public void deploying(DeploymentRecord record) {
    mainThread.assertRunningInMainThread();
    DeploymentRecord signed = record.writtenBy(stores.leader(), reconciliations.getAsInt());
    lastWrite = lastWrite.thenRunAsync(() -> write(signed), io).exceptionally(e -> null);
  }

  private void write(DeploymentRecord record) {
    try {
      stores.recordDeployment(record);
    } catch (LeadershipLostException e) {
      mainThread.execute(() -> leadershipLost.accept(e.getMessage()));
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Job {}: could not record the deployment of attempt {}; the job runs on, but a new"
              + " leader would restart its tasks from the latest checkpoint instead of adopting"
              + " them: {}",
          record.jobId(),
          record.attempt(),
          e.getMessage(),
          e);
    }
  }
}

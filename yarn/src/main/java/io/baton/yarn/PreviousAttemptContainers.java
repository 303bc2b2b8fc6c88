package io.baton.yarn;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.yarn.api.records.Container;

/**
 * The containers YARN kept running from the ApplicationMaster's previous attempt (its TaskManagers;
 * {@code keepContainersAcrossApplicationAttempts}), as the registration of this attempt reports
 * them. The first leadership session's worker driver takes them; a later session's driver gets
 * none, since the first one released them when its session ended.
 */
public final class PreviousAttemptContainers {
  private final CompletableFuture<List<Container>> reported = new CompletableFuture<>();
  private final AtomicBoolean taken = new AtomicBoolean();

  /** For an ApplicationMaster that registers itself (an unmanaged one, a test's): none. */
  public static PreviousAttemptContainers none() {
    PreviousAttemptContainers none = new PreviousAttemptContainers();
    none.reported(List.of());
    return none;
  }

  /** What {@code RegisterApplicationMasterResponse#getContainersFromPreviousAttempts} listed. */
  void reported(List<Container> containers) {
    reported.complete(containers == null ? List.of() : List.copyOf(containers));
  }

  /** The registration failed: there is nothing to take over. */
  void registrationFailed(Throwable cause) {
    reported.completeExceptionally(cause);
  }

  /** The containers for the first caller, once the registration reported them; none for later. */
  CompletableFuture<List<Container>> take() {
    return taken.compareAndSet(false, true)
        ? reported
        : CompletableFuture.completedFuture(List.of());
  }
}

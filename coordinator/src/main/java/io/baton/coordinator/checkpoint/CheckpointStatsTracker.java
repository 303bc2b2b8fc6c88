package io.baton.coordinator.checkpoint;

import io.baton.coordinator.checkpoint.CheckpointStats.Entry;
import io.baton.coordinator.checkpoint.CheckpointStats.Status;
import io.baton.coordinator.metrics.JobMetricGroup;
import io.baton.ha.CheckpointPointer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts a job's checkpoints and keeps the recent ones for the REST API and the metrics. Used on
 * the job master's thread only.
 */
final class CheckpointStatsTracker {
  private static final int HISTORY_SIZE = 10;

  private final JobMetricGroup metrics;
  // id -> entry, oldest first; at most HISTORY_SIZE
  private final Map<Long, Entry> history = new LinkedHashMap<>();
  // those of the history still in flight: a snapshot shows their acknowledgements so far
  private final Map<Long, PendingCheckpoint> inFlight = new HashMap<>();
  private long total;
  private long inProgress;
  private long completed;
  private long failed;
  private long restored;
  private Entry latestCompleted;
  private Entry latestSavepoint;
  private Entry latestFailed;
  private CheckpointStats.Restored latestRestored;

  CheckpointStatsTracker(JobMetricGroup metrics) {
    this.metrics = metrics;
  }

  void triggered(PendingCheckpoint p) {
    total++;
    inProgress++;
    put(entry(p, Status.IN_PROGRESS, p.triggerTimestamp(), null));
    inFlight.put(p.id(), p);
  }

  void completed(PendingCheckpoint p, long now) {
    inProgress--;
    completed++;
    inFlight.remove(p.id());
    Entry e = entry(p, Status.COMPLETED, now, null);
    put(e);
    if (p.savepoint()) {
      latestSavepoint = e;
    } else {
      latestCompleted = e;
    }
    metrics.checkpointCompleted(e.endToEndDuration(), e.stateSize(), now);
  }

  /** Periodic checkpoints (re)start: the lateness of the next one counts from {@code now}. */
  void periodicStarted(long intervalMs, long now) {
    metrics.checkpointingStarted(intervalMs, now);
  }

  void failed(PendingCheckpoint p, long now, String reason) {
    inProgress--;
    failed++;
    inFlight.remove(p.id());
    Entry e = entry(p, Status.FAILED, now, reason);
    put(e);
    latestFailed = e;
    metrics.checkpointFailed();
  }

  void restored(CheckpointMetadata checkpoint, String path, long now) {
    restored++;
    latestRestored =
        new CheckpointStats.Restored(
            checkpoint.checkpointId(), now, checkpoint.isSavepoint(), path);
    metrics.checkpointRestored();
  }

  /**
   * A completed checkpoint of an earlier leader of the job, as the store names it: it joins the
   * history with the figures its pointer kept.
   */
  void adopted(CheckpointPointer pointer) {
    if (history.containsKey(pointer.checkpointId())) {
      return;
    }
    Entry e =
        new Entry(
            pointer.checkpointId(),
            Status.COMPLETED,
            pointer.savepoint(),
            pointer.triggerTimestamp() == 0
                ? pointer.completionTimestamp()
                : pointer.triggerTimestamp(),
            pointer.completionTimestamp(),
            pointer.stateSize(),
            pointer.duration(),
            pointer.directory(),
            pointer.numSubtasks(),
            pointer.numSubtasks(),
            null,
            null,
            List.of());
    put(e);
    if (!pointer.savepoint()) {
      latestCompleted = e;
    }
  }

  /** A restore passed over this checkpoint; its history entry says why. */
  void skippedOnRestore(long id, String path, String reason) {
    Entry old = history.get(id);
    Entry e =
        old != null
            ? old.skippedOnRestore(reason)
            : new Entry(
                id, Status.COMPLETED, false, 0, 0, 0, 0, path, 0, 0, null, reason, List.of());
    put(e);
  }

  private static Entry entry(PendingCheckpoint p, Status status, long now, String reason) {
    return new Entry(
        p.id(),
        status,
        p.savepoint(),
        p.triggerTimestamp(),
        p.latestAckTimestamp(),
        p.stateSize(),
        Math.max(0, (status == Status.IN_PROGRESS ? p.latestAckTimestamp() : now))
            - p.triggerTimestamp(),
        p.directory().toString(),
        p.numSubtasks(),
        p.numAcknowledged(),
        reason,
        null,
        p.tasks());
  }

  private void put(Entry e) {
    history.remove(e.id());
    history.put(e.id(), e);
    while (history.size() > HISTORY_SIZE) {
      Long oldest = history.keySet().iterator().next();
      history.remove(oldest);
      inFlight.remove(oldest);
    }
  }

  CheckpointStats snapshot() {
    List<Entry> newestFirst = new ArrayList<>();
    for (Entry e : history.values()) {
      PendingCheckpoint p = inFlight.get(e.id());
      newestFirst.add(p == null ? e : entry(p, Status.IN_PROGRESS, p.latestAckTimestamp(), null));
    }
    Collections.reverse(newestFirst);
    return new CheckpointStats(
        new CheckpointStats.Counts(restored, total, inProgress, completed, failed),
        latestCompleted,
        latestSavepoint,
        latestFailed,
        latestRestored,
        List.copyOf(newestFirst));
  }
}

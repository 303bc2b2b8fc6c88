package io.baton.coordinator.checkpoint;

import java.util.List;

/**
 * A job's checkpoint figures at one moment, as {@code GET /jobs/{id}/checkpoints} shows them.
 *
 * @param history the most recent checkpoints, newest first
 */
public record CheckpointStats(
    Counts counts,
    Entry latestCompleted,
    Entry latestSavepoint,
    Entry latestFailed,
    Restored latestRestored,
    List<Entry> history) {

  public static final CheckpointStats EMPTY =
      new CheckpointStats(new Counts(0, 0, 0, 0, 0), null, null, null, null, List.of());

  /** How many checkpoints were restored, triggered, are in flight, completed and failed. */
  public record Counts(long restored, long total, long inProgress, long completed, long failed) {}

  /** Status of a checkpoint in the history. */
  public enum Status {
    IN_PROGRESS,
    COMPLETED,
    FAILED
  }

  /**
   * One checkpoint or savepoint.
   *
   * @param failureMessage why it failed; null unless FAILED
   * @param skippedOnRestore why a restore passed it over (missing or corrupt files); null if not
   * @param tasks its figures per vertex, by vertex id; empty for a checkpoint of an earlier leader
   *     (whose pointer keeps only the job's totals)
   */
  public record Entry(
      long id,
      Status status,
      boolean savepoint,
      long triggerTimestamp,
      long latestAckTimestamp,
      long stateSize,
      long endToEndDuration,
      String externalPath,
      int numSubtasks,
      int numAcknowledgedSubtasks,
      String failureMessage,
      String skippedOnRestore,
      List<TaskStats> tasks) {

    public Entry {
      tasks = List.copyOf(tasks);
    }

    /** The same checkpoint, now noted as passed over by a restore for {@code reason}. */
    Entry skippedOnRestore(String reason) {
      return new Entry(
          id,
          status,
          savepoint,
          triggerTimestamp,
          latestAckTimestamp,
          stateSize,
          endToEndDuration,
          externalPath,
          numSubtasks,
          numAcknowledgedSubtasks,
          failureMessage,
          reason,
          tasks);
    }
  }

  /**
   * One vertex's part of a checkpoint.
   *
   * @param subtasks one per subtask that was running when the checkpoint was triggered, by index
   */
  public record TaskStats(int vertexId, List<SubtaskStats> subtasks) {
    public TaskStats {
      subtasks = List.copyOf(subtasks);
    }

    public int numSubtasks() {
      return subtasks.size();
    }

    public int numAcknowledgedSubtasks() {
      return (int) subtasks.stream().filter(SubtaskStats::acknowledged).count();
    }

    /** When its last subtask acknowledged; -1 while none has. */
    public long latestAckTimestamp() {
      return subtasks.stream().mapToLong(SubtaskStats::ackTimestamp).max().orElse(-1);
    }

    /** The bytes of state its subtasks acknowledged. */
    public long stateSize() {
      return subtasks.stream().mapToLong(SubtaskStats::stateSize).sum();
    }

    /** From the trigger to its last acknowledgement; -1 while none has acknowledged. */
    public long endToEndDuration() {
      return subtasks.stream().mapToLong(SubtaskStats::endToEndDuration).max().orElse(-1);
    }
  }

  /**
   * One subtask's part of a checkpoint.
   *
   * @param ackTimestamp when it acknowledged; -1 while it has not
   * @param stateSize the bytes of the state files it acknowledged (0 for a subtask that finished
   *     instead: it had nothing more to snapshot)
   * @param endToEndDuration from the trigger to its acknowledgement; -1 while it has not
   */
  public record SubtaskStats(
      int index, boolean acknowledged, long ackTimestamp, long stateSize, long endToEndDuration) {

    static SubtaskStats pending(int index) {
      return new SubtaskStats(index, false, -1, 0, -1);
    }
  }

  /** The checkpoint the current attempt started from. */
  public record Restored(long id, long restoreTimestamp, boolean savepoint, String externalPath) {}
}

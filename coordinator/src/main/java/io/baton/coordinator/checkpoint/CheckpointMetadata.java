package io.baton.coordinator.checkpoint;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.baton.common.checkpoint.StateFileHandle;
import java.util.List;

/**
 * The content of a checkpoint's {@code _metadata} file: which job and checkpoint it is and every
 * state file it consists of, with size and CRC32C, so a restore needs no listing and can verify
 * each file.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CheckpointMetadata(
    @JsonProperty("format_version") int formatVersion,
    @JsonProperty("job_id") String jobId,
    @JsonProperty("checkpoint_id") long checkpointId,
    @JsonProperty("trigger_timestamp") long triggerTimestamp,
    @JsonProperty("complete_timestamp") long completeTimestamp,
    @JsonProperty("is_savepoint") boolean isSavepoint,
    @JsonProperty("state") List<Handle> state) {

  /** The format this version of Baton writes and reads. */
  public static final int FORMAT_VERSION = 1;

  /** The metadata file's name inside a checkpoint or savepoint directory. */
  public static final String FILE_NAME = "_metadata";

  public CheckpointMetadata {
    state = List.copyOf(state);
  }

  public long stateSize() {
    return state.stream().mapToLong(Handle::size).sum();
  }

  public List<StateFileHandle> stateHandles() {
    return state.stream().map(Handle::toStateFileHandle).toList();
  }

  /**
   * One state file, as {@link StateFileHandle} names it, in the stored JSON form: this record is
   * where checkpoint metadata is translated to and from storage, so the stored fields stay as they
   * are whatever the RPC and domain types do.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Handle(
      @JsonProperty("path") String path,
      @JsonProperty("size") long size,
      @JsonProperty("checksum") long checksum,
      @JsonProperty("kind") String kind,
      @JsonProperty("operator_uid") String operatorUid,
      @JsonProperty("operator_index") int operatorIndex,
      @JsonProperty("subtask_index") int subtaskIndex,
      @JsonProperty("parallelism") int parallelism,
      @JsonProperty("key_group_start") int keyGroupStart,
      @JsonProperty("key_group_end") int keyGroupEnd) {

    public static Handle of(StateFileHandle h) {
      return new Handle(
          h.path(),
          h.sizeBytes(),
          h.checksum(),
          h.kind(),
          h.operatorUid(),
          h.operatorIndex(),
          h.subtaskIndex(),
          h.parallelism(),
          h.keyGroupStart(),
          h.keyGroupEnd());
    }

    public StateFileHandle toStateFileHandle() {
      return new StateFileHandle(
          path,
          size,
          checksum,
          keyGroupStart,
          keyGroupEnd,
          operatorIndex,
          kind,
          operatorUid,
          subtaskIndex,
          parallelism);
    }
  }
}

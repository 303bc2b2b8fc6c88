package io.baton.coordinator.checkpoint;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.baton.common.rpc.StateHandle;
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

  public List<StateHandle> stateHandles() {
    return state.stream().map(Handle::toProto).toList();
  }

  /** One state file, as {@link StateHandle} names it. */
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

    public static Handle of(StateHandle h) {
      return new Handle(
          h.getPath(),
          h.getSizeBytes(),
          h.getChecksum(),
          h.getKind(),
          h.getOperatorUid(),
          h.getOperatorIndex(),
          h.getSubtaskIndex(),
          h.getParallelism(),
          h.getKeyGroupStart(),
          h.getKeyGroupEnd());
    }

    public StateHandle toProto() {
      return StateHandle.newBuilder()
          .setPath(path)
          .setSizeBytes(size)
          .setChecksum(checksum)
          .setKind(kind)
          .setOperatorUid(operatorUid)
          .setOperatorIndex(operatorIndex)
          .setSubtaskIndex(subtaskIndex)
          .setParallelism(parallelism)
          .setKeyGroupStart(keyGroupStart)
          .setKeyGroupEnd(keyGroupEnd)
          .build();
    }
  }
}

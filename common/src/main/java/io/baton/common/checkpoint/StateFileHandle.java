package io.baton.common.checkpoint;

import java.util.Objects;

/**
 * One file of checkpointed state: where its bytes are and which operator, subtask and key groups
 * wrote them. Tasks send these with their checkpoint acknowledgement; the JobManager stores them in
 * the checkpoint's metadata and hands them back to the tasks that restore.
 *
 * @param path a URI understood by checkpoint-storage
 * @param checksum CRC32C of the file's bytes
 * @param keyGroupStart for keyed state: the first key group it holds
 * @param keyGroupEnd for keyed state: the last key group it holds
 * @param operatorIndex which operator of the chain wrote it
 * @param kind "keyed", "operator" or "sink"
 * @param operatorUid the operator's uid, stable across job versions: state is matched to operators
 *     by it
 * @param subtaskIndex the subtask that wrote it
 * @param parallelism its vertex's parallelism then (for rescaling)
 */
public record StateFileHandle(
    String path,
    long sizeBytes,
    long checksum,
    int keyGroupStart,
    int keyGroupEnd,
    int operatorIndex,
    String kind,
    String operatorUid,
    int subtaskIndex,
    int parallelism) {

  public StateFileHandle {
    Objects.requireNonNull(path, "path");
    kind = kind == null ? "" : kind;
    operatorUid = operatorUid == null ? "" : operatorUid;
  }
}

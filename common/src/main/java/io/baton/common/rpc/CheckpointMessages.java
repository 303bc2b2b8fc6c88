package io.baton.common.rpc;

import io.baton.common.checkpoint.CheckpointAcknowledgement;
import io.baton.common.checkpoint.CheckpointDeclined;
import io.baton.common.checkpoint.CheckpointNotice;
import io.baton.common.checkpoint.CheckpointTrigger;
import io.baton.common.checkpoint.EndOfData;
import io.baton.common.checkpoint.StateFileHandle;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import java.time.Duration;
import java.util.List;

/**
 * Translates state handles, checkpoint acknowledgements, declines, end-of-data notices, triggers
 * and notifications between Baton's types and the protocol's. The fencing token of a command is the
 * sender's concern: it is passed in when writing and checked by the receiving service before
 * reading.
 */
public final class CheckpointMessages {
  private CheckpointMessages() {}

  public static StateHandle toProto(StateFileHandle handle) {
    return StateHandle.newBuilder()
        .setPath(handle.path())
        .setSizeBytes(handle.sizeBytes())
        .setChecksum(handle.checksum())
        .setKeyGroupStart(handle.keyGroupStart())
        .setKeyGroupEnd(handle.keyGroupEnd())
        .setOperatorIndex(handle.operatorIndex())
        .setKind(handle.kind())
        .setOperatorUid(handle.operatorUid())
        .setSubtaskIndex(handle.subtaskIndex())
        .setParallelism(handle.parallelism())
        .build();
  }

  public static StateFileHandle fromProto(StateHandle handle) {
    return new StateFileHandle(
        handle.getPath(),
        handle.getSizeBytes(),
        handle.getChecksum(),
        handle.getKeyGroupStart(),
        handle.getKeyGroupEnd(),
        handle.getOperatorIndex(),
        handle.getKind(),
        handle.getOperatorUid(),
        handle.getSubtaskIndex(),
        handle.getParallelism());
  }

  public static List<StateHandle> toProtoHandles(List<StateFileHandle> handles) {
    return handles.stream().map(CheckpointMessages::toProto).toList();
  }

  public static List<StateFileHandle> fromProtoHandles(List<StateHandle> handles) {
    return handles.stream().map(CheckpointMessages::fromProto).toList();
  }

  public static CheckpointAck toProto(CheckpointAcknowledgement ack) {
    return CheckpointAck.newBuilder()
        .setJobId(ack.jobId().value())
        .setExecutionId(ack.executionId().value())
        .setCheckpointId(ack.checkpointId())
        .addAllState(toProtoHandles(ack.state()))
        .setSyncDurationMs(ack.syncDuration().toMillis())
        .setAsyncDurationMs(ack.asyncDuration().toMillis())
        .setAlignmentDurationMs(ack.alignmentDuration().toMillis())
        .build();
  }

  public static CheckpointAcknowledgement fromProto(CheckpointAck ack) {
    return new CheckpointAcknowledgement(
        JobId.parse(ack.getJobId()),
        ExecutionId.parse(ack.getExecutionId()),
        ack.getCheckpointId(),
        fromProtoHandles(ack.getStateList()),
        Duration.ofMillis(ack.getSyncDurationMs()),
        Duration.ofMillis(ack.getAsyncDurationMs()),
        Duration.ofMillis(ack.getAlignmentDurationMs()));
  }

  public static CheckpointDecline toProto(CheckpointDeclined decline) {
    return CheckpointDecline.newBuilder()
        .setJobId(decline.jobId().value())
        .setExecutionId(decline.executionId().value())
        .setCheckpointId(decline.checkpointId())
        .setReason(decline.reason())
        .build();
  }

  public static CheckpointDeclined fromProto(CheckpointDecline decline) {
    return new CheckpointDeclined(
        JobId.parse(decline.getJobId()),
        ExecutionId.parse(decline.getExecutionId()),
        decline.getCheckpointId(),
        decline.getReason());
  }

  public static EndOfDataNotice toProto(EndOfData notice) {
    return EndOfDataNotice.newBuilder()
        .setJobId(notice.jobId().value())
        .setExecutionId(notice.executionId().value())
        .build();
  }

  public static EndOfData fromProto(EndOfDataNotice notice) {
    return new EndOfData(
        JobId.parse(notice.getJobId()), ExecutionId.parse(notice.getExecutionId()));
  }

  public static TriggerCheckpointRequest toProto(CheckpointTrigger trigger, String fencingToken) {
    return TriggerCheckpointRequest.newBuilder()
        .setFencingToken(fencingToken)
        .setJobId(trigger.jobId().value())
        .setExecutionId(trigger.executionId().value())
        .setCheckpointId(trigger.checkpointId())
        .setTimestamp(trigger.timestamp())
        .setCheckpointDir(trigger.checkpointDirectory())
        .setIsSavepoint(trigger.savepoint())
        .build();
  }

  public static CheckpointTrigger fromProto(TriggerCheckpointRequest request) {
    return new CheckpointTrigger(
        JobId.parse(request.getJobId()),
        ExecutionId.parse(request.getExecutionId()),
        request.getCheckpointId(),
        request.getTimestamp(),
        request.getCheckpointDir(),
        request.getIsSavepoint());
  }

  public static CheckpointNotification toProto(CheckpointNotice notice, String fencingToken) {
    return CheckpointNotification.newBuilder()
        .setFencingToken(fencingToken)
        .setJobId(notice.jobId().value())
        .setExecutionId(notice.executionId().value())
        .setCheckpointId(notice.checkpointId())
        .build();
  }

  public static CheckpointNotice fromProto(CheckpointNotification notification) {
    return new CheckpointNotice(
        JobId.parse(notification.getJobId()),
        ExecutionId.parse(notification.getExecutionId()),
        notification.getCheckpointId());
  }
}

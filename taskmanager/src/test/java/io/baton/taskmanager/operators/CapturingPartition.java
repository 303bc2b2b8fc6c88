package io.baton.taskmanager.operators;

import io.baton.taskmanager.network.ResultPartition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Remembers each emitted record's bytes and subpartition. */
final class CapturingPartition implements ResultPartition {

  record Emitted(int subpartition, byte[] bytes) {}

  private final int subpartitions;
  final List<Emitted> emitted = new ArrayList<>();

  CapturingPartition(int subpartitions) {
    this.subpartitions = subpartitions;
  }

  @Override
  public String id() {
    return "capturing";
  }

  @Override
  public int numberOfSubpartitions() {
    return subpartitions;
  }

  @Override
  public void emitRecord(byte[] record, int offset, int length, int subpartition) {
    emitted.add(new Emitted(subpartition, Arrays.copyOfRange(record, offset, offset + length)));
  }

  @Override
  public void broadcastBarrier(long checkpointId, long timestamp) {}

  @Override
  public void flushIfDue() {}

  @Override
  public void flushAll() {}

  @Override
  public void finish() {}

  @Override
  public void release(Throwable cause) {}

  @Override
  public long bytesOut() {
    return 0;
  }

  @Override
  public long recordsOut() {
    return emitted.size();
  }

  @Override
  public long backpressuredNanos() {
    return 0;
  }
}

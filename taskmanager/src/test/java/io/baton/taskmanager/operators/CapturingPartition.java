package io.baton.taskmanager.operators;

import io.baton.taskmanager.network.ResultPartition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Remembers each emitted record's bytes and subpartition, and the records handed over as objects to
 * the subpartitions it says take them.
 */
final class CapturingPartition implements ResultPartition {

  record Emitted(int subpartition, byte[] bytes) {}

  record EmittedObject(int subpartition, Object record) {}

  private final int subpartitions;
  private final Set<Integer> takingObjects;
  final List<Emitted> emitted = new ArrayList<>();
  final List<EmittedObject> emittedObjects = new ArrayList<>();

  CapturingPartition(int subpartitions, Integer... takingObjects) {
    this.subpartitions = subpartitions;
    this.takingObjects = Set.of(takingObjects);
  }

  @Override
  public boolean takesObjects(int subpartition) {
    return takingObjects.contains(subpartition);
  }

  @Override
  public void emitObject(Object record, int bytes, int subpartition) {
    emittedObjects.add(new EmittedObject(subpartition, record));
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

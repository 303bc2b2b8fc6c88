package io.baton.coordinator.resourcemanager;

import io.baton.common.cluster.FreeSlotCommand;
import io.baton.common.ids.AllocationId;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import io.baton.coordinator.rpc.TaskManagerGateway;
import io.baton.coordinator.status.TaskManagerDetails;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A registered TaskManager and what its slots are doing. Used on the resource manager's thread. */
final class RegisteredTaskManager {
  // the resource manager's log category, where these lines always were
  private static final Logger LOG = LoggerFactory.getLogger(ResourceManager.class);

  final TaskManagerId id;
  final String registrationId;
  final TaskManagerGateway gateway;
  final int cpuCores;
  final long physicalMemoryBytes;
  // index: slot index; null when free
  private final AllocatedSlot[] slots;

  volatile long lastHeartbeatMillis;
  long heapUsedBytes;
  long heapMaxBytes;
  int missedHeartbeatsCounted;
  // told after each change of its free slots, so the resource manager's counts follow them
  private Consumer<RegisteredTaskManager> slotsChanged = tm -> {};

  RegisteredTaskManager(
      TaskManagerId id,
      String registrationId,
      TaskManagerGateway gateway,
      int numberOfSlots,
      int cpuCores,
      long physicalMemoryBytes,
      long now) {
    this.id = id;
    this.registrationId = registrationId;
    this.gateway = gateway;
    this.slots = new AllocatedSlot[numberOfSlots];
    this.cpuCores = cpuCores;
    this.physicalMemoryBytes = physicalMemoryBytes;
    this.lastHeartbeatMillis = now;
  }

  /** {@code listener} is told after each change of this TaskManager's free slots. */
  void onSlotsChanged(Consumer<RegisteredTaskManager> listener) {
    this.slotsChanged = listener;
  }

  int numberOfSlots() {
    return slots.length;
  }

  /** Set by its first heartbeat: the TaskManager took this registration. Main thread only. */
  boolean confirmed;

  int freeSlots() {
    int free = 0;
    for (AllocatedSlot s : slots) {
      if (s == null) {
        free++;
      }
    }
    return free;
  }

  /** Takes the lowest free slot for the job. */
  AllocatedSlot allocate(JobId jobId) {
    for (int i = 0; i < slots.length; i++) {
      if (slots[i] == null) {
        slots[i] = new AllocatedSlot(AllocationId.random(), jobId, id, i, gateway);
        slotsChanged.accept(this);
        return slots[i];
      }
    }
    throw new IllegalStateException("TaskManager " + id + " has no free slot");
  }

  /**
   * Marks the slot a reported task runs in as its job's (a new leader reconciles it); empty when
   * the slot does not exist here or is taken already.
   */
  Optional<AllocatedSlot> reserve(JobId jobId, AllocationId allocationId, int slotIndex) {
    if (slotIndex < 0 || slotIndex >= slots.length) {
      return Optional.empty();
    }
    AllocatedSlot current = slots[slotIndex];
    if (current == null) {
      slots[slotIndex] = new AllocatedSlot(allocationId, jobId, id, slotIndex, gateway);
      slotsChanged.accept(this);
      return Optional.of(slots[slotIndex]);
    }
    // slot sharing: the subtasks of every vertex with this index run in one allocation
    boolean same = current.allocationId().equals(allocationId) && current.jobId().equals(jobId);
    return same ? Optional.of(current) : Optional.empty();
  }

  /** Frees the slot if it is still this allocation; returns whether it was. */
  boolean free(AllocatedSlot slot) {
    if (slots[slot.slotIndex()] == slot) {
      slots[slot.slotIndex()] = null;
      slotsChanged.accept(this);
      return true;
    }
    return false;
  }

  List<AllocatedSlot> slotsOf(JobId jobId) {
    List<AllocatedSlot> result = new ArrayList<>();
    for (AllocatedSlot s : slots) {
      if (s != null && s.jobId().equals(jobId)) {
        result.add(s);
      }
    }
    return result;
  }

  Set<JobId> jobs() {
    Set<JobId> result = new LinkedHashSet<>();
    for (AllocatedSlot s : slots) {
      if (s != null) {
        result.add(s.jobId());
      }
    }
    return result;
  }

  String address() {
    return gateway.address().toString();
  }

  /** What {@code GET /taskmanagers} shows of this TaskManager. Main thread. */
  TaskManagerDetails details() {
    return new TaskManagerDetails(
        id.toString(),
        address(),
        lastHeartbeatMillis,
        numberOfSlots(),
        freeSlots(),
        cpuCores,
        physicalMemoryBytes,
        heapUsedBytes,
        heapMaxBytes);
  }

  /** Tells the TaskManager to free {@code slot}; a refusal or a failed call is only logged. */
  void freeSlot(AllocatedSlot slot) {
    gateway
        .freeSlot(new FreeSlotCommand(slot.allocationId(), slot.jobId()))
        .whenComplete(
            (ack, error) -> {
              if (error != null || !ack.ok()) {
                LOG.warn(
                    "TaskManager {} did not free {} of job {}: {}",
                    slot.taskManagerId(),
                    slot,
                    slot.jobId(),
                    error != null ? error.toString() : ack.error());
              }
            });
  }
}

package io.baton.taskmanager.executor;

import io.baton.common.cluster.SlotReport;
import io.baton.common.ids.AllocationId;
import io.baton.common.ids.JobId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The TaskManager's slots and which allocation (of which job) holds each. A slot is allocated
 * implicitly by the first task submitted into it: the JobManager only sends allocations it owns.
 * Confined to the TaskManager's main thread.
 */
final class SlotTable {

  /** Who holds a slot. */
  record Allocation(AllocationId allocationId, JobId jobId) {}

  private final Allocation[] slots;

  SlotTable(int numberOfSlots) {
    if (numberOfSlots < 1) {
      throw new IllegalArgumentException("a TaskManager needs at least one slot");
    }
    this.slots = new Allocation[numberOfSlots];
  }

  int size() {
    return slots.length;
  }

  /**
   * Allocates slot {@code index} to {@code allocation}, or confirms it already is.
   *
   * @return empty when allocated; else why not, one line
   */
  Optional<String> allocate(int index, Allocation allocation) {
    if (index < 0 || index >= slots.length) {
      return Optional.of(
          "slot index "
              + index
              + " is out of range: this TaskManager has "
              + slots.length
              + " slot(s)");
    }
    Allocation current = slots[index];
    if (current == null) {
      slots[index] = allocation;
      return Optional.empty();
    }
    if (current.equals(allocation)) {
      return Optional.empty();
    }
    return Optional.of(
        "slot "
            + index
            + " is held by allocation "
            + current.allocationId()
            + " of job "
            + current.jobId());
  }

  boolean isAllocatedTo(int index, Allocation allocation) {
    return index >= 0 && index < slots.length && allocation.equals(slots[index]);
  }

  /**
   * Frees every slot held by {@code allocationId}.
   *
   * @return the freed allocation, empty when no slot held it
   */
  Optional<Allocation> free(AllocationId allocationId) {
    Allocation freed = null;
    for (int i = 0; i < slots.length; i++) {
      if (slots[i] != null && slots[i].allocationId().equals(allocationId)) {
        freed = slots[i];
        slots[i] = null;
      }
    }
    return Optional.ofNullable(freed);
  }

  /** Frees all slots; returns the allocations that held them. */
  List<Allocation> freeAll() {
    List<Allocation> freed = new ArrayList<>();
    for (int i = 0; i < slots.length; i++) {
      if (slots[i] != null) {
        freed.add(slots[i]);
        slots[i] = null;
      }
    }
    return freed;
  }

  /** The allocations holding a slot right now. */
  List<Allocation> allocations() {
    List<Allocation> held = new ArrayList<>();
    for (Allocation a : slots) {
      if (a != null) {
        held.add(a);
      }
    }
    return held;
  }

  boolean hasSlotsOf(JobId jobId) {
    for (Allocation a : slots) {
      if (a != null && a.jobId().equals(jobId)) {
        return true;
      }
    }
    return false;
  }

  /** Every slot, free ones with empty ids, for the heartbeat. */
  List<SlotReport> status() {
    List<SlotReport> result = new ArrayList<>(slots.length);
    for (int i = 0; i < slots.length; i++) {
      Allocation a = slots[i];
      result.add(
          a == null
              ? new SlotReport(i, Optional.empty(), Optional.empty())
              : new SlotReport(i, Optional.of(a.allocationId()), Optional.of(a.jobId())));
    }
    return result;
  }
}

package io.baton.coordinator.resourcemanager;

import io.baton.common.ids.TaskManagerId;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The registered TaskManagers' slot counts, kept up to date as TaskManagers come and go and slots
 * are taken and freed, and the confirmed TaskManagers with a free slot in placement order: most
 * free slots first, then the smallest id. Saves the resource manager a pass over every TaskManager
 * for each count it publishes and for each slot it hands out. Resource manager's thread only.
 */
final class SlotCounts {
  /** Where a confirmed TaskManager with free slots stands in the placement order. */
  private record Placement(int free, TaskManagerId id, RegisteredTaskManager taskManager) {}

  private static final Comparator<Placement> MOST_FREE_FIRST =
      Comparator.comparingInt(Placement::free).reversed().thenComparing(Placement::id);

  /** What a TaskManager was counted with, to take it back out when that changes. */
  private record Counted(
      RegisteredTaskManager taskManager, int slots, int free, boolean confirmed, Placement at) {}

  private final Map<TaskManagerId, Counted> counted = new HashMap<>();
  private final NavigableSet<Placement> placement = new TreeSet<>(MOST_FREE_FIRST);
  private int total;
  private int free;
  private int freeConfirmed;

  /** Counts a registered TaskManager, replacing an earlier registration of the same id. */
  void add(RegisteredTaskManager tm) {
    Counted earlier = counted.get(tm.id);
    if (earlier != null) {
      uncount(earlier);
    }
    count(tm);
  }

  /**
   * Counts {@code tm} anew after its free slots or its confirmation changed; a registration that is
   * not (or no longer) counted is left out.
   */
  void update(RegisteredTaskManager tm) {
    Counted current = counted.get(tm.id);
    if (current == null || current.taskManager() != tm) {
      return;
    }
    if (current.free() == tm.freeSlots() && current.confirmed() == tm.confirmed) {
      return;
    }
    uncount(current);
    count(tm);
  }

  /** Stops counting {@code tm}, if it is the registration counted under its id. */
  void remove(RegisteredTaskManager tm) {
    Counted current = counted.get(tm.id);
    if (current != null && current.taskManager() == tm) {
      uncount(current);
    }
  }

  void clear() {
    counted.clear();
    placement.clear();
    total = 0;
    free = 0;
    freeConfirmed = 0;
  }

  /** Slots of every registered TaskManager. */
  int totalSlots() {
    return total;
  }

  /** Free slots of the confirmed TaskManagers: the ones that can be handed out. */
  int freeConfirmedSlots() {
    return freeConfirmed;
  }

  /** Free slots of every registered TaskManager, confirmed or not. */
  int freeSlots() {
    return free;
  }

  /** The confirmed TaskManager the next slot is taken from; null when none has a free slot. */
  RegisteredTaskManager mostFree() {
    return placement.isEmpty() ? null : placement.first().taskManager();
  }

  private void count(RegisteredTaskManager tm) {
    int slots = tm.numberOfSlots();
    int tmFree = tm.freeSlots();
    boolean confirmed = tm.confirmed;
    Placement at = null;
    if (confirmed && tmFree > 0) {
      at = new Placement(tmFree, tm.id, tm);
      placement.add(at);
    }
    counted.put(tm.id, new Counted(tm, slots, tmFree, confirmed, at));
    total += slots;
    free += tmFree;
    if (confirmed) {
      freeConfirmed += tmFree;
    }
  }

  private void uncount(Counted c) {
    counted.remove(c.taskManager().id);
    if (c.at() != null) {
      placement.remove(c.at());
    }
    total -= c.slots();
    free -= c.free();
    if (c.confirmed()) {
      freeConfirmed -= c.free();
    }
  }
}

package io.baton.coordinator.resourcemanager;

import io.baton.common.ids.TaskManagerId;

/**
 * What the worker policy reads of the resource manager's slots, and the one thing it asks of it.
 * Called on the resource manager's main thread only.
 */
interface WorkerSlots {

  /** Slots that waiting slot requests ask for in all. */
  int waitingSlots();

  /** Free slots of registered TaskManagers. */
  int freeSlots();

  /** Slots of registered TaskManagers, free or not. */
  int registeredSlots();

  /** Whether the TaskManager is registered. */
  boolean isRegistered(TaskManagerId id);

  /** Whether the TaskManager is registered and none of its slots is allocated. */
  boolean isIdle(TaskManagerId id);

  /** Forgets an idle TaskManager before its worker is stopped, so no slot of it is handed out. */
  void forgetIdle(TaskManagerId id, String reason);

  /** Releases a registered TaskManager whose process ended, failing over the jobs it served. */
  void lose(TaskManagerId id, String reason);
}

package io.baton.taskmanager.network;

/**
 * Told by a subpartition that its reader has something to look at: a buffer in a queue that was
 * empty, or a failure (release, take-over). Called without any subpartition lock held, possibly on
 * the producing task's thread, so implementations only hand the work on.
 */
@FunctionalInterface
interface BufferAvailabilityListener {
  void notifyAvailable();
}

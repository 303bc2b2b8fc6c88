package io.baton.taskmanager.network;

/**
 * One channel of an input gate: brings one producer subpartition's buffers and events to the gate,
 * never more than the gate has credit for.
 */
interface InputChannel {

  /** Starts requesting the subpartition, retrying while the producer has not registered it. */
  void request();

  /** The gate handed one buffer or barrier of this channel to its task: one more credit. */
  void onConsumed();

  /** Stops reading and lets go of the producer. Idempotent. */
  void close();

  /** Requests made so far, the first one included. */
  int attempts();
}

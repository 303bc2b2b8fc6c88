package io.baton.taskmanager.network;

/**
 * One reader's attachment to a subpartition. A subpartition has at most one live view; when it is
 * released, or another request takes it over, the view gets a failure and polls nothing more.
 */
final class SubpartitionView {
  private final PipelinedSubpartition subpartition;
  private final BufferAvailabilityListener listener;
  private final String consumer;
  private final boolean local;
  private volatile Throwable failure;

  /**
   * @param local whether the reader is in this TaskManager, and so may be handed records as objects
   */
  SubpartitionView(
      PipelinedSubpartition subpartition,
      BufferAvailabilityListener listener,
      String consumer,
      boolean local) {
    this.subpartition = subpartition;
    this.listener = listener;
    this.consumer = consumer;
    this.local = local;
  }

  /** The next buffer or event, or null when the queue is empty or this view has failed. */
  SubpartitionBuffer poll() {
    return subpartition.poll(this);
  }

  /** Why this view reads no more, or null while it is live. */
  Throwable failure() {
    return failure;
  }

  /** Lets go of the subpartition; its data stays for the next reader. Idempotent. */
  void detach() {
    subpartition.detach(this);
  }

  String consumer() {
    return consumer;
  }

  boolean isLocal() {
    return local;
  }

  void fail(Throwable cause) {
    if (failure == null) {
      failure = cause;
    }
  }

  void notifyAvailable() {
    listener.notifyAvailable();
  }
}

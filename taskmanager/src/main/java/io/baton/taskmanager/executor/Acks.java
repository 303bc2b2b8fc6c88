package io.baton.taskmanager.executor;

import io.baton.common.rpc.Ack;

/** The answers TaskManagerService calls give the JobManager. */
final class Acks {
  private Acks() {}

  static Ack ok() {
    return Ack.newBuilder().setOk(true).build();
  }

  static Ack failure(String message) {
    return Ack.newBuilder().setOk(false).setError(message).build();
  }
}

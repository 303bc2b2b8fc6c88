package io.baton.taskmanager.network;

/** A partition was released by its producer (cancel or failure) before its consumers were done. */
final class PartitionReleasedException extends RuntimeException {
  PartitionReleasedException(String partitionId, Throwable cause) {
    super(
        "partition "
            + partitionId
            + " was released by its producer"
            + (cause == null ? "" : ": " + cause),
        cause);
  }
}

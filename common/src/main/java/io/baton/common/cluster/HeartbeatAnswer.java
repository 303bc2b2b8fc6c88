package io.baton.common.cluster;

/**
 * The JobManager's answer to a heartbeat.
 *
 * @param known false: the JobManager does not know this registration, and the TaskManager registers
 *     again
 */
public record HeartbeatAnswer(boolean known, String fencingToken) {

  public HeartbeatAnswer {
    fencingToken = fencingToken == null ? "" : fencingToken;
  }

  /** The answer to a registration the JobManager does not know. */
  public static HeartbeatAnswer unknown() {
    return new HeartbeatAnswer(false, "");
  }
}

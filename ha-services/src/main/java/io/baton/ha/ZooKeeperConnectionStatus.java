package io.baton.ha;

/**
 * This process's ZooKeeper connection as the HA console shows it: the last change Curator reported
 * and since when.
 *
 * @param since epoch millis of that change (or of the client's start)
 */
public record ZooKeeperConnectionStatus(State state, long since) {

  /** Curator's connection states, as Baton names them. */
  public enum State {
    /** Connected since the client started. */
    CONNECTED,
    /** The connection broke; the session may still live. */
    SUSPENDED,
    /** The session expired or could not be kept; the client keeps trying to connect anew. */
    LOST,
    /** Connected again after a suspension or a loss. */
    RECONNECTED
  }
}

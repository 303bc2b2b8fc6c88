package io.baton.ha;

/**
 * This process's connection to ZooKeeper as the monitoring shows it: connected, suspended (the
 * connection broke, the session may still live) or lost (the session expired or could not be kept;
 * the client keeps trying to connect anew).
 */
public enum ZooKeeperConnectionState {
  CONNECTED,
  SUSPENDED,
  LOST
}

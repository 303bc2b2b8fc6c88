package io.baton.coordinator.rest;

import io.baton.ha.ZooKeeperConnectionStatus;

/**
 * {@code GET /ha/health}: this JobManager's ZooKeeper connection and whether the HA storage
 * directory answers, both as last seen (neither is asked for while the request waits).
 *
 * @param zookeeper the connection's state and since when; null without high availability
 * @param storage the last check of {@code high-availability.storageDir}; null when none is checked
 */
public record HaHealth(ZooKeeperConnectionStatus zookeeper, Storage storage) {

  /** Nothing to tell: no high availability. */
  public static final HaHealth NONE = new HaHealth(null, null);

  /**
   * The last check of the storage directory.
   *
   * @param uri the directory checked
   * @param state {@code UNCHECKED} before the first answer, then {@code REACHABLE} or {@code
   *     UNREACHABLE}
   * @param latencyMs how long the last listing took; null when it failed
   * @param error the one-line reason it is unreachable; null when reachable
   * @param since epoch millis since the state holds
   * @param checkedAt epoch millis of the last check; null before the first
   */
  public record Storage(
      String uri, String state, Long latencyMs, String error, long since, Long checkedAt) {}
}

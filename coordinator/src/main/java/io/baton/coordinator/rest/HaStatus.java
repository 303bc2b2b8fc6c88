package io.baton.coordinator.rest;

import io.baton.ha.FailoverRecord;
import java.util.List;

/**
 * {@code GET /ha}: who leads, as this JobManager sees it.
 *
 * @param mode {@code zookeeper} or {@code none}
 * @param leader whether this JobManager leads
 * @param id this JobManager's contender id ({@code <rest.address>:<rest port>})
 * @param leaderId the leader's contender id; null when no leader is known
 * @param leaderAddress the leader's RPC {@code host:port}; null when no leader is known
 * @param leaderRestUrl the leader's {@code http://host:port}; null when no leader is known
 * @param leaderTokenDigest a digest of the leader's fencing token (never the token itself, which
 *     TaskManagers obey); null when no leader is known
 * @param leaderSince epoch millis since when the leader leads; null when unknown
 * @param contenders the contender ids in the election
 */
public record HaStatus(
    String mode,
    boolean leader,
    String id,
    String leaderId,
    String leaderAddress,
    String leaderRestUrl,
    String leaderTokenDigest,
    Long leaderSince,
    List<String> contenders) {

  /** Where a JobManager's {@code GET /ha}, {@code /ha/history} and {@code /ha/health} come from. */
  @FunctionalInterface
  public interface Source {
    HaStatus current();

    /**
     * The cluster's failover history, newest first.
     *
     * @throws Exception when it cannot be read now (answered with 503 and one line)
     */
    default List<FailoverRecord> history() throws Exception {
      return List.of();
    }

    /** The ZooKeeper connection and the HA storage as last seen; never waits on either. */
    default HaHealth health() {
      return HaHealth.NONE;
    }
  }

  /** What a standby answers to reads other than {@code /ha} and {@code /metrics}. */
  record StandbyAnswer(
      boolean leader, String leaderId, String leaderAddress, String leaderRestUrl) {}
}

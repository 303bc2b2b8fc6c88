package io.baton.coordinator.ha;

import io.baton.common.security.TokenDigest;
import io.baton.coordinator.rest.HaStatus;
import io.baton.ha.LeaderInformation;
import io.baton.ha.PublishedLeader;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /ha} of a JobManager: its own leadership when it leads, else the leader published in
 * ZooKeeper (read when asked, so a standby never answers with a leader that is gone).
 */
public final class JobManagerHaStatus implements HaStatus.Source {
  private final String mode;
  private final String id;
  private final JobManagerLeadership leadership;
  private final String rpcAddress;
  private final String restUrl;
  private final Supplier<Optional<PublishedLeader>> published;
  private final Supplier<List<String>> contenders;

  /**
   * @param mode {@code zookeeper} or {@code none}
   * @param id this JobManager's contender id
   * @param published the currently published leader; empty when none
   * @param contenders the contender ids in the election; empty when they cannot be told quickly
   */
  public JobManagerHaStatus(
      String mode,
      String id,
      JobManagerLeadership leadership,
      String rpcAddress,
      String restUrl,
      Supplier<Optional<PublishedLeader>> published,
      Supplier<List<String>> contenders) {
    this.mode = mode;
    this.id = id;
    this.leadership = leadership;
    this.rpcAddress = rpcAddress;
    this.restUrl = restUrl;
    this.published = published;
    this.contenders = contenders;
  }

  @Override
  public HaStatus current() {
    List<String> contenders = this.contenders.get();
    LeaderSession session = leadership.confirmedSession();
    if (session != null) {
      return new HaStatus(
          mode,
          true,
          id,
          id,
          rpcAddress,
          restUrl,
          TokenDigest.of(session.fencingToken()),
          session.confirmedAt(),
          contenders);
    }
    Optional<PublishedLeader> known = published.get();
    if (known.isEmpty()) {
      return new HaStatus(mode, false, id, null, null, null, null, null, contenders);
    }
    LeaderInformation leader = known.get().leader();
    return new HaStatus(
        mode,
        false,
        id,
        leader.contenderId(),
        leader.address(),
        leader.restUrl().isEmpty() ? null : leader.restUrl(),
        TokenDigest.of(leader.sessionId().toString()),
        known.get().since(),
        contenders);
  }
}

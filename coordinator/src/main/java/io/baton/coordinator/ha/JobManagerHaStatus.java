package io.baton.coordinator.ha;

import io.baton.coordinator.rest.HaStatus;
import io.baton.ha.LeaderInformation;
import io.baton.ha.LeaderRetrievalListener;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /ha} of a JobManager: its own leadership when it leads, else the leader that leader
 * retrieval publishes (with the time that leader published itself, read off the znode).
 */
public final class JobManagerHaStatus implements HaStatus.Source, LeaderRetrievalListener {
  private static final Logger LOG = LoggerFactory.getLogger(JobManagerHaStatus.class);

  private final String mode;
  private final String id;
  private final JobManagerLeadership leadership;
  private final String rpcAddress;
  private final String restUrl;
  private final Function<LeaderInformation, Optional<Long>> publishedSince;
  private final Executor io;

  // written by the retrieval's thread (and io), read by REST threads
  private volatile Known known;

  private record Known(LeaderInformation leader, Long since) {}

  /**
   * @param mode {@code zookeeper} or {@code none}
   * @param id this JobManager's contender id
   * @param publishedSince when a published leader published itself (the znode's ctime); empty when
   *     unknown. Blocks on ZooKeeper: runs on {@code io}
   */
  public JobManagerHaStatus(
      String mode,
      String id,
      JobManagerLeadership leadership,
      String rpcAddress,
      String restUrl,
      Function<LeaderInformation, Optional<Long>> publishedSince,
      Executor io) {
    this.mode = mode;
    this.id = id;
    this.leadership = leadership;
    this.rpcAddress = rpcAddress;
    this.restUrl = restUrl;
    this.publishedSince = publishedSince;
    this.io = io;
  }

  @Override
  public HaStatus current() {
    List<String> contenders = leadership.election().contenders();
    LeaderSession session = leadership.confirmedSession();
    if (session != null) {
      return new HaStatus(
          mode,
          true,
          id,
          id,
          rpcAddress,
          restUrl,
          session.fencingToken(),
          session.confirmedAt(),
          contenders);
    }
    Known k = known;
    if (k == null) {
      return new HaStatus(mode, false, id, null, null, null, null, null, contenders);
    }
    LeaderInformation leader = k.leader();
    return new HaStatus(
        mode,
        false,
        id,
        contenderIdOf(leader.restUrl()),
        leader.address(),
        leader.restUrl().isEmpty() ? null : leader.restUrl(),
        leader.sessionId().toString(),
        k.since(),
        contenders);
  }

  /** The contender id is the REST address: {@code http://host:port} names {@code host:port}. */
  static String contenderIdOf(String restUrl) {
    if (restUrl == null || restUrl.isEmpty()) {
      return null;
    }
    String id = restUrl.replaceFirst("^[a-zA-Z]+://", "");
    return id.endsWith("/") ? id.substring(0, id.length() - 1) : id;
  }

  @Override
  public void notifyLeader(LeaderInformation leader) {
    known = new Known(leader, null);
    io.execute(
        () -> {
          Optional<Long> since;
          try {
            since = publishedSince.apply(leader);
          } catch (RuntimeException e) {
            LOG.debug("Cannot read since when {} leads", leader.address(), e);
            return;
          }
          Known k = known;
          if (k != null && k.leader().equals(leader)) {
            known = new Known(leader, since.orElse(null));
          }
        });
  }

  @Override
  public void notifyLeaderAddress(String address, UUID leaderSessionId) {
    notifyLeader(new LeaderInformation(leaderSessionId, address));
  }

  @Override
  public void notifyNoLeader() {
    known = null;
  }

  @Override
  public void handleError(Exception error) {
    LOG.warn("Leader retrieval failed: {}", error.getMessage());
  }
}

package io.baton.taskmanager.executor;

import com.google.common.net.HostAndPort;
import io.baton.common.ids.TaskManagerId;
import io.baton.common.security.TokenDigest;
import io.baton.ha.LeaderInformation;
import io.baton.ha.LeaderRetrievalListener;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the JobManager leader that leader retrieval publishes (HA mode). When a new leadership is
 * published the TaskManager at once accepts only its token, hands the tasks it runs for the
 * previous leader to {@code leadershipMoved} (which cancels them and frees their slots, or with
 * jobmanager.failover.reconcile keeps them for the new leader to adopt), points its calls at the
 * new leader and registers there, offering its slots again. While no leader is published it keeps
 * its tasks: leadership is not known to have moved. Retrieval calls arrive on the retrieval's
 * thread and hop onto the main thread; the rest runs there.
 */
final class JobManagerLeaderFollower implements LeaderRetrievalListener {
  private static final Logger LOG = LoggerFactory.getLogger(JobManagerLeaderFollower.class);

  private final TaskManagerId id;
  private final Executor onMainThread;
  private final JobManagerConnection gateway;
  private final JobManagerLink link;
  private final JobManagerFencing fencing;
  private final BiConsumer<String, String> leadershipMoved;

  /**
   * @param leadershipMoved told the previous and the new leader's token when leadership moved
   */
  JobManagerLeaderFollower(
      TaskManagerId id,
      Executor onMainThread,
      JobManagerConnection gateway,
      JobManagerLink link,
      JobManagerFencing fencing,
      BiConsumer<String, String> leadershipMoved) {
    this.id = id;
    this.onMainThread = onMainThread;
    this.gateway = gateway;
    this.link = link;
    this.fencing = fencing;
    this.leadershipMoved = leadershipMoved;
  }

  // ------------------------------------------------------------------ retrieval thread

  @Override
  public void notifyLeaderAddress(String address, UUID leaderSessionId) {
    notifyLeader(new LeaderInformation(leaderSessionId, address));
  }

  @Override
  public void notifyLeader(LeaderInformation leader) {
    onMainThread.execute(() -> leaderPublished(leader));
  }

  @Override
  public void notifyNoLeader() {
    onMainThread.execute(this::noLeaderPublished);
  }

  @Override
  public void handleError(Exception error) {
    LOG.warn(
        "TaskManager {}: leader retrieval failed: {}; keeping the current JobManager until a"
            + " leader is published",
        id,
        error.getMessage());
  }

  // ------------------------------------------------------------------ main thread

  private void leaderPublished(LeaderInformation leader) {
    HostAndPort rpcAddress;
    try {
      rpcAddress = HostAndPort.fromString(leader.address());
      if (!rpcAddress.hasPort()) {
        throw new IllegalArgumentException("no port");
      }
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "TaskManager {}: the leader with fencing token {} published the RPC address '{}', which"
              + " is not host:port ({}); waiting for a usable one",
          id,
          TokenDigest.of(leader.sessionId().toString()),
          leader.address(),
          e.getMessage());
      noLeaderPublished();
      return;
    }
    String token = leader.sessionId().toString();
    String previous = fencing.current();
    if (token.equals(previous)) {
      // the same leadership published again, e.g. after a while with none published
      if (gateway.retarget(rpcAddress.getHost(), rpcAddress.getPort())) {
        link.registerWithLeader(token, "the leader now publishes " + leader.address());
      } else {
        link.leaderKnownAgain();
      }
      return;
    }
    fencing.replace(token);
    LOG.info(
        "TaskManager {}: JobManager leader is {} with fencing token digest {} (previous {});"
            + " accepting only its commands from now on",
        id,
        leader.address(),
        TokenDigest.of(token),
        previous == null ? "none" : TokenDigest.of(previous));
    if (previous != null) {
      leadershipMoved.accept(previous, token);
    }
    gateway.retarget(rpcAddress.getHost(), rpcAddress.getPort());
    link.registerWithLeader(token, "new leader with fencing token digest " + TokenDigest.of(token));
  }

  private void noLeaderPublished() {
    LOG.info(
        "TaskManager {}: no JobManager leader is published; keeping the tasks of the last one ({})"
            + " until another leader is published",
        id,
        fencing.current() == null ? "none yet" : fencing.current());
    link.leaderUnknown();
  }
}

package io.baton.cli;

import io.baton.common.config.Configuration;
import io.baton.common.config.HighAvailabilityOptions;
import io.baton.ha.ClientHighAvailabilityServices;
import io.baton.ha.LeaderInformation;
import io.baton.ha.LeaderRetrievalListener;
import io.baton.ha.LeaderRetrievalService;
import io.baton.ha.factory.HighAvailabilityServicesFactory;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Finds the leading JobManager's REST URL through leader retrieval on ZooKeeper (HA mode), waiting
 * up to high-availability.zookeeper.client.connection-timeout for a leader to be published. When no
 * server of the quorum accepts a connection at all, it says so at once.
 */
final class ZooKeeperLeaderLookup {
  // nothing listening is told within this; a server that answers gets the configured patience
  private static final Duration PROBE_BUDGET = Duration.ofSeconds(2);

  private ZooKeeperLeaderLookup() {}

  /**
   * The REST URL the leader of the configured cluster publishes.
   *
   * @throws CliException with one line when the quorum cannot be reached, or no leader with a REST
   *     URL is published in time
   */
  static URI leaderRestUrl(Configuration config) {
    Duration wait = config.get(HighAvailabilityOptions.CONNECTION_TIMEOUT);
    try (ClientHighAvailabilityServices ha = HighAvailabilityServicesFactory.createClient(config)) {
      String quorum = ha.quorum();
      if (!new QuorumProbe(PROBE_BUDGET).anyServerAccepts(quorum)) {
        throw new CliException(
            "no cluster answers at ZooKeeper "
                + quorum
                + " (is the cluster running? bin/start-cluster.sh)");
      }
      LeaderRetrievalService connected;
      try {
        connected = ha.leaderRetrievalService();
      } catch (IllegalStateException e) {
        throw new CliException(e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException("interrupted while connecting to ZooKeeper", e);
      }
      CompletableFuture<LeaderInformation> found = new CompletableFuture<>();
      AtomicReference<Exception> unreadable = new AtomicReference<>();
      try (LeaderRetrievalService retrieval = connected) {
        retrieval.start(new FirstLeaderWithRestUrl(found, unreadable));
        return URI.create(found.get(wait.toMillis(), TimeUnit.MILLISECONDS).restUrl());
      } catch (TimeoutException e) {
        if (unreadable.get() != null) {
          // garbage in leader/info, not repaired in time: say so, not that nobody leads
          throw new CliException(RestClient.firstLine(unreadable.get().getMessage()), e);
        }
        throw new CliException(
            "no JobManager leads cluster '"
                + config.get(HighAvailabilityOptions.CLUSTER_ID)
                + "' at "
                + quorum,
            e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException("interrupted while looking for the JobManager leader", e);
      } catch (CliException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw new CliException("the leader published an unusable REST URL: " + e.getMessage(), e);
      } catch (Exception e) {
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        throw new CliException(
            "cannot look up the JobManager leader in ZooKeeper: "
                + RestClient.firstLine(cause.toString()),
            cause);
      }
    }
  }

  /** Completes the future with the first published leader that serves REST. */
  private record FirstLeaderWithRestUrl(
      CompletableFuture<LeaderInformation> found, AtomicReference<Exception> unreadable)
      implements LeaderRetrievalListener {
    @Override
    public void handleError(Exception error) {
      unreadable.set(error);
    }

    @Override
    public void notifyLeaderAddress(String address, UUID leaderSessionId) {
      // notifyLeader is overridden: it carries the REST URL
    }

    @Override
    public void notifyLeader(LeaderInformation leader) {
      if (!leader.restUrl().isEmpty()) {
        found.complete(leader);
      }
    }

    @Override
    public void notifyNoLeader() {
      // keep waiting until the connection timeout
    }
  }
}

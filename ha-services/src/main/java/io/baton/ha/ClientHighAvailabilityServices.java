package io.baton.ha;

/**
 * What a client (the CLI) needs of high availability: where the leader is looked up and a retrieval
 * of it, without the election and stores of a JobManager. Nothing connects until {@link
 * #leaderRetrievalService()} is asked for.
 */
public interface ClientHighAvailabilityServices extends AutoCloseable {

  /** The ZooKeeper quorum the leader is looked up in, as configured (for messages and probes). */
  String quorum();

  /**
   * Connects, at the first call, and returns a new, not yet started retrieval of the cluster's
   * leader.
   *
   * @throws IllegalStateException with one line naming the quorum when it cannot be reached
   * @throws io.baton.common.config.IllegalConfigurationException when the credentials are unusable
   */
  LeaderRetrievalService leaderRetrievalService() throws InterruptedException;

  /**
   * Deletes everything the cluster keeps: its znodes ({@code <root>/<cluster-id>}) first, then its
   * files under {@code high-availability.storageDir/<cluster-id>} (safety rule 6). Only for a
   * cluster that ended for good (a YARN session its user stopped); never on a failure, a restart or
   * a lost leadership, where the next leader recovers the jobs from exactly this data.
   *
   * @throws java.io.IOException with one line naming the znode or directory that stayed
   */
  void deleteClusterData() throws InterruptedException, java.io.IOException;

  /** Closes the connection, if one was made. */
  @Override
  void close();
}

package io.baton.ha.zookeeper;

import io.baton.common.rpc.GrpcChannelFactory;
import io.baton.common.rpc.JobManagerIdentityClient;
import io.baton.ha.LeaderInformation;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Probes the RPC endpoint a leader published, to tell whether its process is gone. First it asks
 * the endpoint who it is (the JobManager service's {@code Identify}, through the same channel
 * factory TaskManagers use, so internal TLS applies); an answer naming another instance than the
 * leader published is proof. When the call fails, a plain TCP connect tells a refused connection
 * (proof: the host answered, nothing listens on the port) from everything else (a timeout, no
 * route, a paused process whose kernel still accepts): those are no proof. Every call and connect
 * has the probe's deadline.
 *
 * <p>Used from one thread only (the detector's): it keeps one channel, to the last address probed.
 */
final class LeaderProcessProbe implements AutoCloseable {
  private final JobManagerIdentityClient identities;
  private final Duration deadline;

  LeaderProcessProbe(GrpcChannelFactory channels, Duration deadline) {
    this.identities = new JobManagerIdentityClient(channels);
    this.deadline = deadline;
  }

  /** What the endpoint of {@code leader} shows now. */
  ProbeEvidence probe(LeaderInformation leader) {
    String address = leader.address();
    int colon = address.lastIndexOf(':');
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      return ProbeEvidence.noProof(
          "bad-address", "the published address '" + address + "' is not host:port");
    }
    String host = address.substring(0, Math.max(colon, 0));
    if (host.isEmpty() || port <= 0 || port > 65535) {
      return ProbeEvidence.noProof(
          "bad-address", "the published address '" + address + "' is not host:port");
    }
    String callFailure = "the leader published no instance id to ask for";
    if (!leader.instanceId().isEmpty()) {
      try {
        String answered = identities.identify(host, port, deadline);
        if (answered.equals(leader.instanceId())) {
          return ProbeEvidence.leaderAnswered(
              "the leader's process " + answered + " answered at " + address);
        }
        if (answered.isEmpty()) {
          return ProbeEvidence.noProof(
              "empty-identity", "the process at " + address + " answered without an identity");
        }
        return ProbeEvidence.otherProcess(
            "another process ("
                + answered
                + ") answers at "
                + address
                + ", not the leader's ("
                + leader.instanceId()
                + ")");
      } catch (JobManagerIdentityClient.CallFailedException e) {
        callFailure = "the identity call failed with " + e.getMessage();
      }
    }
    return connect(host, port, address, callFailure);
  }

  private ProbeEvidence connect(String host, int port, String address, String callFailure) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) deadline.toMillis());
      return ProbeEvidence.noProof(
          "accepted", "a connection to " + address + " is accepted, but " + callFailure);
    } catch (ConnectException e) {
      // ECONNREFUSED: the host answered with a reset. Other connect errors (a timeout reported
      // by the kernel, an unreachable network) say nothing about the process.
      if (String.valueOf(e.getMessage()).contains("Connection refused")) {
        return ProbeEvidence.refused(
            "the connection to " + address + " was refused: nothing listens there");
      }
      return ProbeEvidence.noProof(
          "connect-" + e.getMessage(), "connecting to " + address + " failed: " + e.getMessage());
    } catch (SocketTimeoutException e) {
      return ProbeEvidence.noProof(
          "connect-timeout",
          "connecting to " + address + " timed out after " + deadline.toMillis() + " ms");
    } catch (IOException | IllegalArgumentException | SecurityException e) {
      return ProbeEvidence.noProof(
          "connect-" + e.getClass().getSimpleName(), "connecting to " + address + " failed: " + e);
    }
  }

  @Override
  public void close() {
    identities.close();
  }
}

package io.baton.taskmanager.executor;

import io.baton.common.cluster.Acknowledgement;
import io.baton.common.security.TokenDigest;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fencing token of the JobManager this TaskManager last registered with; calls carrying any
 * other token are rejected. Used on the TaskExecutor's main thread only.
 */
final class JobManagerFencing {
  private static final Logger LOG = LoggerFactory.getLogger(JobManagerFencing.class);

  private String fencingToken;

  /** The current token, or null before the first registration. */
  String current() {
    return fencingToken;
  }

  /** Takes the token of a new registration and returns the one it replaces (null if none). */
  String replace(String newToken) {
    String previous = fencingToken;
    fencingToken = newToken;
    return previous;
  }

  /** Empty when {@code token} is the current one, else the rejection to answer {@code call}. */
  Optional<Acknowledgement> check(String token, String call) {
    if (fencingToken != null && fencingToken.equals(token)) {
      return Optional.empty();
    }
    // digests only: the answer goes to whoever sent the call, who must not learn the token
    String current =
        fencingToken == null ? "<none: not registered yet>" : TokenDigest.of(fencingToken);
    String message =
        "rejected: fencing token (digest "
            + TokenDigest.of(token)
            + ") does not match the current JobManager's (digest "
            + current
            + ")";
    LOG.warn("{} call {}", call, message);
    return Optional.of(Acknowledgement.refused(message));
  }
}

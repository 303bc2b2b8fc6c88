package io.baton.common.cluster;

import java.time.Duration;
import java.util.Objects;

/**
 * The JobManager's answer to a {@link TaskManagerRegistration}.
 *
 * @param error why it was not accepted (one line); empty when accepted
 * @param fencingToken the leader's token: the TaskManager accepts commands carrying only this one
 * @param registrationId heartbeats carry it, so a restarted JobManager can tell stale ones
 */
public record RegistrationResponse(
    boolean accepted,
    String error,
    String fencingToken,
    String registrationId,
    Duration heartbeatInterval,
    Duration heartbeatTimeout) {

  public RegistrationResponse {
    error = error == null ? "" : error;
    fencingToken = fencingToken == null ? "" : fencingToken;
    registrationId = registrationId == null ? "" : registrationId;
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout");
  }

  /** A refusal for {@code reason} (one line). */
  public static RegistrationResponse refused(String reason) {
    return new RegistrationResponse(false, reason, "", "", Duration.ZERO, Duration.ZERO);
  }
}

package io.baton.ha;

import java.util.Objects;
import java.util.UUID;

/**
 * What leader retrieval publishes: the leader's fencing token (its leader session id), its RPC
 * address ({@code host:port}, where TaskManagers register) and its REST URL ({@code
 * http://host:port}, where the CLI and REST clients go; empty when it serves none).
 */
public record LeaderInformation(UUID sessionId, String address, String restUrl) {

  public LeaderInformation {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(restUrl, "restUrl");
  }

  /** A leader without a REST endpoint. */
  public LeaderInformation(UUID sessionId, String address) {
    this(sessionId, address, "");
  }
}

package io.baton.ha;

import java.util.Objects;
import java.util.UUID;

/**
 * What leader retrieval publishes: the leader's fencing token (its leader session id), its RPC
 * address ({@code host:port}, where TaskManagers register), its REST URL ({@code http://host:port},
 * where the CLI and REST clients go; empty when it serves none) and the instance id of its process
 * (what its RPC endpoint answers to an identity call; empty when the leader published none), by
 * which a standby tells the leader's process from another one on the same address.
 */
public record LeaderInformation(UUID sessionId, String address, String restUrl, String instanceId) {

  public LeaderInformation {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(restUrl, "restUrl");
    Objects.requireNonNull(instanceId, "instanceId");
  }

  /** A leader that publishes no instance id. */
  public LeaderInformation(UUID sessionId, String address, String restUrl) {
    this(sessionId, address, restUrl, "");
  }

  /** A leader without a REST endpoint. */
  public LeaderInformation(UUID sessionId, String address) {
    this(sessionId, address, "");
  }

  /**
   * The leader's contender id, which is its REST address: {@code http://host:port} names {@code
   * host:port}; null when it publishes no REST URL.
   */
  public String contenderId() {
    if (restUrl.isEmpty()) {
      return null;
    }
    String id = restUrl.replaceFirst("^[a-zA-Z]+://", "");
    return id.endsWith("/") ? id.substring(0, id.length() - 1) : id;
  }
}

package io.baton.ha;

import java.util.Objects;
import java.util.UUID;

/**
 * What leader retrieval publishes: the leader's fencing token (its leader session id) and its
 * address.
 */
public record LeaderInformation(UUID sessionId, String address) {

  public LeaderInformation {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(address, "address");
  }

  /** The text stored in ZooKeeper: the address, a newline, the session id. */
  String toZnodeText() {
    return address + "\n" + sessionId;
  }

  /**
   * Parses {@link #toZnodeText()}.
   *
   * @throws IllegalArgumentException naming what is wrong with foreign or garbled data
   */
  static LeaderInformation fromZnodeText(String text) {
    int newline = text.lastIndexOf('\n');
    if (newline < 0) {
      throw new IllegalArgumentException("leader info is not '<address>\\n<session id>': " + text);
    }
    try {
      return new LeaderInformation(
          UUID.fromString(text.substring(newline + 1).trim()), text.substring(0, newline));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("leader info has no valid session id: " + text, e);
    }
  }
}

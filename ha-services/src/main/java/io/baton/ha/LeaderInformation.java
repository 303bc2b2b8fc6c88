package io.baton.ha;

import java.util.List;
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

  /** The text stored in ZooKeeper: the address, the session id and the REST URL, one per line. */
  String toZnodeText() {
    return address + "\n" + sessionId + (restUrl.isEmpty() ? "" : "\n" + restUrl);
  }

  /**
   * Parses {@link #toZnodeText()}.
   *
   * @throws IllegalArgumentException naming what is wrong with foreign or garbled data
   */
  static LeaderInformation fromZnodeText(String text) {
    List<String> lines = text.lines().toList();
    if (lines.size() < 2 || lines.size() > 3 || lines.get(0).isBlank()) {
      throw new IllegalArgumentException(
          "leader info is not '<address>\\n<session id>[\\n<rest url>]': '" + shown(text) + "'");
    }
    UUID session;
    try {
      session = UUID.fromString(lines.get(1).trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "leader info has no valid session id: '" + shown(text) + "'", e);
    }
    return new LeaderInformation(
        session, lines.get(0), lines.size() == 3 ? lines.get(2).trim() : "");
  }

  /** Foreign data on one line, shortened: for messages. */
  private static String shown(String text) {
    String oneLine = text.replace("\n", "\\n").replace("\r", "\\r");
    return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 120) + "...";
  }
}

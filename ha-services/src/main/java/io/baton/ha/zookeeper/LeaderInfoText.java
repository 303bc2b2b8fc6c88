package io.baton.ha.zookeeper;

import io.baton.ha.LeaderInformation;
import java.util.List;
import java.util.UUID;

/**
 * The text of the {@code leader/info} znode: the leader's address, session id and REST URL, one per
 * line (the REST URL left out when it serves none).
 */
final class LeaderInfoText {
  private LeaderInfoText() {}

  /** The text stored in ZooKeeper for {@code leader}. */
  static String of(LeaderInformation leader) {
    return leader.address()
        + "\n"
        + leader.sessionId()
        + (leader.restUrl().isEmpty() ? "" : "\n" + leader.restUrl());
  }

  /**
   * Parses {@link #of}.
   *
   * @throws IllegalArgumentException naming what is wrong with foreign or garbled data
   */
  static LeaderInformation parse(String text) {
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

package io.baton.ha.zookeeper;

import io.baton.ha.LeaderInformation;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The text of the {@code leader/info} znode: the leader's address, session id, REST URL and process
 * instance id, one per line. Older leaders wrote only the first two or three lines (the REST URL
 * left out when it serves none); those still parse, with no instance id.
 */
final class LeaderInfoText {
  // what a JobManager's instance id may look like (a UUID today): no spaces, nothing to escape
  private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private LeaderInfoText() {}

  /** The text stored in ZooKeeper for {@code leader}. */
  static String of(LeaderInformation leader) {
    if (!leader.instanceId().isEmpty()) {
      return leader.address()
          + "\n"
          + leader.sessionId()
          + "\n"
          + leader.restUrl()
          + "\n"
          + leader.instanceId();
    }
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
    if (lines.size() < 2 || lines.size() > 4 || lines.get(0).isBlank()) {
      throw new IllegalArgumentException(
          "leader info is not '<address>\\n<session id>[\\n<rest url>[\\n<instance id>]]': '"
              + shown(text)
              + "'");
    }
    UUID session;
    try {
      session = UUID.fromString(lines.get(1).trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "leader info has no valid session id: '" + shown(text) + "'", e);
    }
    String instanceId = lines.size() == 4 ? lines.get(3).trim() : "";
    if (lines.size() == 4 && !INSTANCE_ID.matcher(instanceId).matches()) {
      throw new IllegalArgumentException(
          "leader info has no valid instance id (1 to 128 of A-Z a-z 0-9 . _ : -): '"
              + shown(text)
              + "'");
    }
    return new LeaderInformation(
        session, lines.get(0).trim(), lines.size() >= 3 ? lines.get(2).trim() : "", instanceId);
  }

  /** Foreign data on one line, shortened: for messages. */
  private static String shown(String text) {
    String oneLine = text.replace("\n", "\\n").replace("\r", "\\r");
    return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 120) + "...";
  }
}

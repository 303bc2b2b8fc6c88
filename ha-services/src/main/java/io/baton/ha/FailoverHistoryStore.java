package io.baton.ha;

import java.util.List;

/**
 * The cluster's failover history, kept where every JobManager reads it (with ZooKeeper: under the
 * cluster's znode, so a standby and a fresh browser see what the cluster saw). Bounded to the
 * newest {@link #CAPACITY} entries. Entries are input from outside: one that cannot be read is
 * skipped with a log line.
 */
public interface FailoverHistoryStore {

  /** How many entries are kept; older ones are deleted as new ones are appended. */
  int CAPACITY = 50;

  /**
   * Who led before a leadership granted at {@code grantedAt} and how it was found gone, from the
   * newest entry and what the previous leader or the standby that proved it gone left behind.
   *
   * @throws Exception when it cannot be read (the caller logs it and goes on)
   */
  PreviousLeadership previousLeadership(long grantedAt) throws Exception;

  /**
   * Appends {@code record} and drops entries beyond {@link #CAPACITY}.
   *
   * @throws Exception when it cannot be written (the caller logs it; a takeover never waits on it)
   */
  void append(FailoverRecord record) throws Exception;

  /**
   * The readable entries, newest first.
   *
   * @throws Exception when the history cannot be listed at all
   */
  List<FailoverRecord> entries() throws Exception;
}

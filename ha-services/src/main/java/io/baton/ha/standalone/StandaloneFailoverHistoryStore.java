package io.baton.ha.standalone;

import io.baton.ha.FailoverHistoryStore;
import io.baton.ha.FailoverRecord;
import io.baton.ha.PreviousLeadership;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The failover history of a JobManager without high availability, in its memory: its one
 * leadership, gone with the process.
 */
final class StandaloneFailoverHistoryStore implements FailoverHistoryStore {
  // appended by the leadership's thread, read by REST threads
  private final Deque<FailoverRecord> entries = new ArrayDeque<>();

  @Override
  public synchronized PreviousLeadership previousLeadership(long grantedAt) {
    FailoverRecord newest = entries.peekFirst();
    if (newest == null) {
      return PreviousLeadership.none();
    }
    return new PreviousLeadership(
        newest.leaderId(),
        newest.tokenDigest(),
        FailoverRecord.Detection.GRACEFUL_STOP,
        "the same process led before",
        null);
  }

  @Override
  public synchronized void append(FailoverRecord record) {
    entries.addFirst(record);
    while (entries.size() > CAPACITY) {
      entries.removeLast();
    }
  }

  @Override
  public synchronized List<FailoverRecord> entries() {
    return List.copyOf(entries);
  }
}

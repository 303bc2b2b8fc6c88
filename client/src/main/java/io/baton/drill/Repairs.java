package io.baton.drill;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the drill still owes the cluster: a paused process to resume, a stopped one to start again.
 * The drill's thread settles each as it goes; when the drill is interrupted (Ctrl-C, SIGTERM) its
 * shutdown hook settles the rest. Either side takes a repair before running it, so none runs twice.
 */
final class Repairs {
  /** One thing to put right. */
  interface Repair {
    String describe();

    void run();
  }

  private final Map<Long, Repair> pending = new LinkedHashMap<>();
  private long nextKey;
  private boolean closing;

  /** Registers a repair; returns its key for {@link #take}. Fails once closing. */
  synchronized long add(Repair repair) {
    if (closing) {
      throw new DrillException("the drill is being interrupted");
    }
    long key = nextKey++;
    pending.put(key, repair);
    return key;
  }

  /** Whether the caller now owns (and must run) the repair of {@code key}. */
  synchronized boolean take(long key) {
    return pending.remove(key) != null;
  }

  synchronized boolean closing() {
    return closing;
  }

  /** Stops new faults and runs every repair still pending, in the order they were added. */
  void settleAll(PrintWriter out) {
    List<Repair> left;
    synchronized (this) {
      closing = true;
      left = new ArrayList<>(pending.values());
      pending.clear();
    }
    for (Repair repair : left) {
      out.println("==> " + repair.describe());
      out.flush();
      try {
        repair.run();
      } catch (RuntimeException e) {
        out.println("failover-drill: " + e.getMessage());
        out.flush();
      }
    }
  }
}

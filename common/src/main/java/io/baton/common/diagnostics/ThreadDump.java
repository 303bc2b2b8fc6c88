package io.baton.common.diagnostics;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * A process's threads as Flink's {@code ThreadDumpInfo} shows them: per thread its name and its
 * state and stack as {@link ThreadInfo#toString()} writes them.
 */
public record ThreadDump(List<Entry> threads) {
  // deep enough for a task's operator chain; the dashboard shows text, not megabytes
  private static final int MAX_DEPTH = 64;

  public ThreadDump {
    threads = List.copyOf(threads);
  }

  /** One thread: {@code threadName} and {@code stringifiedThreadInfo} in Flink's shape. */
  public record Entry(String threadName, String stringifiedThreadInfo) {}

  /** The threads of this JVM, now. */
  public static ThreadDump ofThisJvm() {
    List<Entry> entries = new ArrayList<>();
    for (ThreadInfo info :
        ManagementFactory.getThreadMXBean().dumpAllThreads(false, false, MAX_DEPTH)) {
      entries.add(new Entry(info.getThreadName(), info.toString()));
    }
    return new ThreadDump(entries);
  }
}

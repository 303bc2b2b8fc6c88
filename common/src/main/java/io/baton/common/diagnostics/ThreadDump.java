package io.baton.common.diagnostics;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * A process's threads as Flink's {@code ThreadDumpInfo} shows them: per thread its name and its
 * state and stack in the format of {@link ThreadInfo#toString()}, but with every frame up to the
 * dump's depth ({@code toString()} stops at 8, which cuts a task's operator chain short).
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
      entries.add(new Entry(info.getThreadName(), stringify(info)));
    }
    return new ThreadDump(entries);
  }

  /** {@code info} as {@link ThreadInfo#toString()} writes it, with all its frames. */
  static String stringify(ThreadInfo info) {
    StringBuilder text =
        new StringBuilder()
            .append('"')
            .append(info.getThreadName())
            .append('"')
            .append(info.isDaemon() ? " daemon" : "")
            .append(" prio=")
            .append(info.getPriority())
            .append(" Id=")
            .append(info.getThreadId())
            .append(' ')
            .append(info.getThreadState());
    if (info.getLockName() != null) {
      text.append(" on ").append(info.getLockName());
    }
    if (info.getLockOwnerName() != null) {
      text.append(" owned by \"")
          .append(info.getLockOwnerName())
          .append("\" Id=")
          .append(info.getLockOwnerId());
    }
    if (info.isSuspended()) {
      text.append(" (suspended)");
    }
    if (info.isInNative()) {
      text.append(" (in native)");
    }
    text.append('\n');
    StackTraceElement[] stack = info.getStackTrace();
    for (int i = 0; i < stack.length; i++) {
      text.append("\tat ").append(stack[i]).append('\n');
      LockInfo lock = info.getLockInfo();
      if (i == 0 && lock != null) {
        text.append("\t-  ").append(info.getThreadState()).append(" on ").append(lock).append('\n');
      }
    }
    if (stack.length == MAX_DEPTH) {
      text.append("\t...\n");
    }
    return text.append('\n').toString();
  }
}

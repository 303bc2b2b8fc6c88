package io.baton.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How many threads this machine runs and how many more it can start (Linux /proc). */
final class MachineThreads {
  /** Left for the machine's other processes: a benchmark must not starve them of threads. */
  static final long RESERVE = 4_000;

  private MachineThreads() {}

  /**
   * Threads a process may still start without leaving fewer than {@link #RESERVE} to others: the
   * smaller of kernel.pid_max and kernel.threads-max, less every thread running now.
   */
  static long free() throws IOException {
    long limit =
        Math.min(
            firstNumber("/proc/sys/kernel/pid_max"), firstNumber("/proc/sys/kernel/threads-max"));
    // the fourth field of /proc/loadavg: runnable/all scheduling entities (threads)
    String all = firstLine("/proc/loadavg").split(" ")[3].split("/")[1];
    return limit - Long.parseLong(all) - RESERVE;
  }

  private static long firstNumber(String file) throws IOException {
    return Long.parseLong(firstLine(file).trim());
  }

  /**
   * Read line by line: a /proc/sys file reports a size of 0, and Files.readString of one can return
   * only its first byte.
   */
  private static String firstLine(String file) throws IOException {
    return Files.readAllLines(Path.of(file)).get(0);
  }

  /** The threads of process {@code pid} now. */
  static long ofProcess(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("Threads:")) {
        return Long.parseLong(line.substring("Threads:".length()).trim());
      }
    }
    throw new IOException("/proc/" + pid + "/status names no Threads");
  }
}

package io.baton.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a benchmark reads about another JVM on this machine: its CPU time from {@code /proc}, its
 * used heap from {@code jstat}, and a full GC through {@code jcmd}.
 */
final class ProcessReadings {
  private ProcessReadings() {}

  /** Runs a full GC in the process, so the heap read next is what it keeps. */
  static void fullGc(long pid) throws Exception {
    run(jdkTool("jcmd"), Long.toString(pid), "GC.run");
  }

  /** utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/<pid>/stat). */
  static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    // the command name (field 2) may hold spaces: count fields after its closing parenthesis
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  static double clockTicksPerSecond() throws Exception {
    try {
      return Double.parseDouble(run("getconf", "CLK_TCK").trim());
    } catch (RuntimeException e) {
      return 100;
    }
  }

  /** Used heap (survivors + eden + old) as {@code jstat -gc} reports it, in KiB. */
  static double usedHeapKiB(long pid) throws Exception {
    String[] out = run(jdkTool("jstat"), "-gc", Long.toString(pid)).trim().split("\n");
    String[] names = out[0].trim().split("\\s+");
    String[] values = out[out.length - 1].trim().split("\\s+");
    double used = 0;
    for (int i = 0; i < names.length; i++) {
      if (List.of("S0U", "S1U", "EU", "OU").contains(names[i])) {
        used += Double.parseDouble(values[i]);
      }
    }
    return used;
  }

  private static String jdkTool(String name) {
    return Path.of(System.getProperty("java.home"), "bin", name).toString();
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}

package io.baton.it;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * What one JDK Flight Recorder file says about a run, in the few figures the performance notes
 * keep: the hottest frames (top of stack of {@code jdk.ExecutionSample}, and the first Baton frame
 * of each sample, so time spent in the JDK on Baton's behalf is charged to the caller), the threads
 * the samples fell on, the allocation sites ({@code jdk.ObjectAllocationSample} weights by class
 * and frame) and the allocation rate, and the GC pauses. JDK 17's {@code jfr} tool has no {@code
 * view} command to aggregate these.
 */
final class JfrSummary {
  private final Map<String, Long> topFrames = new HashMap<>();
  private final Map<String, Long> batonFrames = new HashMap<>();
  private final Map<String, Long> threads = new HashMap<>();
  private final Map<String, Long> allocationSites = new HashMap<>();
  private long samples;
  private long allocatedBytes;
  private Instant firstAllocation;
  private Instant lastAllocation;
  private long gcPauses;
  private Duration gcPauseTotal = Duration.ZERO;
  private int top;

  private JfrSummary() {}

  /** Reads every event of {@code recording}; {@code top} is how many lines each table keeps. */
  static JfrSummary of(Path recording, int top) throws IOException {
    JfrSummary summary = new JfrSummary();
    summary.top = top;
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        summary.add(file.readEvent());
      }
    }
    return summary;
  }

  private void add(RecordedEvent event) {
    switch (event.getEventType().getName()) {
      case "jdk.ExecutionSample" -> addSample(event);
      case "jdk.ObjectAllocationSample" -> addAllocation(event);
      case "jdk.GarbageCollection" -> {
        gcPauses++;
        gcPauseTotal = gcPauseTotal.plus(event.getDuration("sumOfPauses"));
      }
      default -> {}
    }
  }

  private void addSample(RecordedEvent event) {
    RecordedStackTrace stack = event.getStackTrace();
    if (stack == null || stack.getFrames().isEmpty()) {
      return;
    }
    samples++;
    List<RecordedFrame> frames = stack.getFrames();
    topFrames.merge(name(frames.get(0)), 1L, Long::sum);
    batonFrames.merge(firstBatonFrame(frames), 1L, Long::sum);
    var thread = event.getThread("sampledThread");
    threads.merge(thread == null ? "?" : threadGroup(thread.getJavaName()), 1L, Long::sum);
  }

  private void addAllocation(RecordedEvent event) {
    long weight = event.getLong("weight");
    allocatedBytes += weight;
    Instant at = event.getStartTime();
    firstAllocation =
        firstAllocation == null || at.isBefore(firstAllocation) ? at : firstAllocation;
    lastAllocation = lastAllocation == null || at.isAfter(lastAllocation) ? at : lastAllocation;
    RecordedStackTrace stack = event.getStackTrace();
    String site =
        stack == null || stack.getFrames().isEmpty()
            ? "?"
            : name(stack.getFrames().get(0)) + " ← " + firstBatonFrame(stack.getFrames());
    String type = event.getClass("objectClass").getName();
    allocationSites.merge(type + " at " + site, weight, Long::sum);
  }

  /** The text summary, headed by {@code title}. */
  String render(String title) {
    StringBuilder out = new StringBuilder();
    out.append("# ").append(title).append('\n');
    out.append(String.format(Locale.ROOT, "execution samples: %,d%n", samples));
    table(out, "top of stack (self time)", topFrames, samples, "%");
    table(
        out,
        "first Baton frame (Baton code and the JDK/library code it calls)",
        batonFrames,
        samples,
        "%");
    table(out, "threads", threads, samples, "%");
    double seconds =
        firstAllocation == null
            ? 0
            : Duration.between(firstAllocation, lastAllocation).toMillis() / 1000.0;
    out.append(
        String.format(
            Locale.ROOT,
            "%nallocated (sampled weight): %,d MiB over %.1f s = %,.0f MiB/s%n",
            allocatedBytes >> 20,
            seconds,
            seconds == 0 ? 0 : (allocatedBytes >> 20) / seconds));
    table(
        out,
        "allocation sites (class at frame ← first Baton frame)",
        allocationSites,
        allocatedBytes,
        "% of bytes");
    out.append(
        String.format(
            Locale.ROOT,
            "%nGC: %d collections, %d ms paused in total%n",
            gcPauses,
            gcPauseTotal.toMillis()));
    return out.toString();
  }

  private void table(
      StringBuilder out, String heading, Map<String, Long> counts, long total, String unit) {
    out.append('\n').append(heading).append(" (").append(unit).append("):\n");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .limit(top)
        .forEach(
            e ->
                out.append(
                    String.format(
                        Locale.ROOT,
                        "%6.1f  %s%n",
                        total == 0 ? 0 : 100.0 * e.getValue() / total,
                        e.getKey())));
  }

  private static String firstBatonFrame(List<RecordedFrame> frames) {
    for (RecordedFrame frame : frames) {
      if (frame.getMethod().getType().getName().startsWith("io.baton.")) {
        return name(frame);
      }
    }
    return "(no Baton frame) " + name(frames.get(frames.size() - 1));
  }

  private static String name(RecordedFrame frame) {
    String type = frame.getMethod().getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
  }

  /** Thread names without their numbers, so a pool's threads add up to one line. */
  private static String threadGroup(String name) {
    return name == null ? "?" : name.replaceAll("\\d+", "N");
  }
}

package io.baton.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a JVM's {@code -Xlog:gc} file. The heap is at a local maximum right before each collection,
 * so the largest "before" figure of all pauses is the process's peak heap use.
 */
final class GcLog {
  private static final Pattern PAUSE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

  private GcLog() {}

  /** Peak heap in MiB before any collection, or -1 when the log shows no collection. */
  static long peakHeapMiB(Path gcLog) throws IOException {
    long peak = -1;
    if (!Files.exists(gcLog)) {
      return peak;
    }
    for (String line : Files.readAllLines(gcLog)) {
      Matcher m = PAUSE.matcher(line);
      if (m.find()) {
        peak = Math.max(peak, Long.parseLong(m.group(1)));
      }
    }
    return peak;
  }

  static int collections(Path gcLog) throws IOException {
    if (!Files.exists(gcLog)) {
      return 0;
    }
    return (int) Files.readAllLines(gcLog).stream().filter(l -> PAUSE.matcher(l).find()).count();
  }
}

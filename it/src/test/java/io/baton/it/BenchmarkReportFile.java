package io.baton.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a Baton-only benchmark leaves its Markdown report: {@code target/<fileName>}, also printed
 * to stdout so the run's log shows it.
 */
final class BenchmarkReportFile {
  private BenchmarkReportFile() {}

  /** Writes {@code report} to {@code target/<fileName>} (replacing it) and prints it. */
  static void write(String fileName, CharSequence report) throws IOException {
    Path out = Path.of("target", fileName);
    Files.createDirectories(out.getParent());
    Files.writeString(out, report.toString());
    System.out.println(report);
  }
}

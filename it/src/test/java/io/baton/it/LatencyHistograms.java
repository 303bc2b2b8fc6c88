package io.baton.it;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * The latency histograms of the Ledger latency runs: every sink subtask of both sides records the
 * microseconds from its source's stamp to the record's arrival in front of the file sink into an
 * HdrHistogram and writes it, compressed and Base64-encoded, to a file {@code <name>.hdr} in a
 * directory of the run; {@link #merged} adds them up. Baton's job ({@link LatencyLedgerJob}) writes
 * with {@link #write}; Flink's ({@code io.baton.flinkbench.SinkLatency}) writes the same encoding.
 */
final class LatencyHistograms {
  /** Values are microseconds; 3 significant digits. */
  private static final int SIGNIFICANT_DIGITS = 3;

  private LatencyHistograms() {}

  static Histogram newHistogram() {
    Histogram histogram = new Histogram(SIGNIFICANT_DIGITS);
    histogram.setAutoResize(true);
    return histogram;
  }

  /** Wall-clock microseconds since the epoch: comparable between JVMs of one machine. */
  static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  /** Writes {@code histogram} to {@code dir/<name>.hdr}. */
  static void write(Histogram histogram, Path dir, String name) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
    int length = histogram.encodeIntoCompressedByteBuffer(buffer);
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve(name + ".hdr"),
        Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length)),
        StandardCharsets.US_ASCII);
  }

  /** All histograms in {@code dir} added up; fails when there is none. */
  static Histogram merged(Path dir) throws Exception {
    Histogram total = newHistogram();
    int files = 0;
    try (Stream<Path> list = Files.list(dir)) {
      for (Path file : list.filter(f -> f.toString().endsWith(".hdr")).sorted().toList()) {
        byte[] bytes = Base64.getDecoder().decode(Files.readString(file).trim());
        total.add(Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0));
        files++;
      }
    }
    if (files == 0) {
      throw new AssertionError("no latency histogram (*.hdr) in " + dir);
    }
    return total;
  }
}

package io.baton.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Checks the output of the {@link Ledger} job: every event 0..N-1 exactly once, each with the right
 * account and balance. Reads the visible files of the output directory (hidden ones, such as
 * uncommitted in-progress files, are not output) as a stream of bytes, so ten million lines take
 * seconds and little memory.
 */
final class LedgerVerifier {
  private final int events;
  private final int keys;

  LedgerVerifier(int events, int keys) {
    this.events = events;
    this.keys = keys;
  }

  /** What the verifier found. */
  record Result(long lost, long duplicated, long wrongSums, String firstWrong) {
    boolean ok() {
      return lost == 0 && duplicated == 0 && wrongSums == 0;
    }

    /** {@code lost=.. duplicated=..}, and a line about wrong sums if there are any. */
    List<String> report() {
      List<String> lines = new ArrayList<>();
      lines.add("lost=" + lost + " duplicated=" + duplicated);
      if (wrongSums > 0) {
        lines.add("wrong_sums=" + wrongSums + " (first: " + firstWrong + ")");
      }
      return lines;
    }
  }

  /**
   * The balance of account {@code i % K} right after event {@code i}: the sum of j <= i, j = i mod
   * K.
   */
  static long expectedBalance(long event, int keys) {
    long first = event % keys;
    long count = event / keys + 1; // first, first + K, ..., event
    // count * (first + event) / 2 without overflowing: one of the two factors is even
    return count % 2 == 0 ? (count / 2) * (first + event) : count * ((first + event) / 2);
  }

  Result verify(Path directory) throws IOException {
    BitSet seen = new BitSet(events);
    BitSet duplicated = new BitSet();
    Problems problems = new Problems();
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path file : entries) {
        if (!file.getFileName().toString().startsWith(".") && Files.isRegularFile(file)) {
          files.add(file);
        }
      }
    }
    files.sort(null);
    for (Path file : files) {
      verifyFile(file, seen, duplicated, problems);
    }
    long lost = events - (long) seen.cardinality();
    return new Result(lost, duplicated.cardinality(), problems.count, problems.first);
  }

  private void verifyFile(Path file, BitSet seen, BitSet duplicated, Problems problems)
      throws IOException {
    byte[] buffer = new byte[1 << 16];
    byte[] line = new byte[128];
    int length = 0;
    long lineNumber = 0;
    try (InputStream in = Files.newInputStream(file)) {
      int read;
      while ((read = in.read(buffer)) > 0) {
        for (int i = 0; i < read; i++) {
          byte b = buffer[i];
          if (b == '\n') {
            verifyLine(file, ++lineNumber, line, length, seen, duplicated, problems);
            length = 0;
          } else {
            if (length == line.length) {
              line = Arrays.copyOf(line, length * 2);
            }
            line[length++] = b;
          }
        }
      }
    }
    if (length > 0) {
      verifyLine(file, ++lineNumber, line, length, seen, duplicated, problems);
    }
  }

  private void verifyLine(
      Path file,
      long lineNumber,
      byte[] line,
      int length,
      BitSet seen,
      BitSet duplicated,
      Problems problems) {
    long[] fields = new long[3];
    String malformed = parse(line, length, fields);
    if (malformed != null) {
      problems.add(file, lineNumber, line, length, malformed);
      return;
    }
    long event = fields[0];
    if (event >= events) {
      problems.add(file, lineNumber, line, length, "event " + event + " is not below " + events);
      return;
    }
    int index = (int) event;
    if (seen.get(index)) {
      duplicated.set(index);
    }
    seen.set(index);
    if (fields[1] != event % keys) {
      problems.add(file, lineNumber, line, length, "account should be " + event % keys);
    } else if (fields[2] != expectedBalance(event, keys)) {
      problems.add(
          file, lineNumber, line, length, "balance should be " + expectedBalance(event, keys));
    }
  }

  /** Reads {@code <event>\t<account>\t<balance>} into fields; returns what is wrong, or null. */
  private static String parse(byte[] line, int length, long[] fields) {
    int field = 0;
    int digits = 0;
    long value = 0;
    for (int i = 0; i <= length; i++) {
      if (i == length || line[i] == '\t') {
        if (digits == 0) {
          return "malformed: field " + (field + 1) + " is empty";
        }
        if (field == 3) {
          return "malformed: more than 3 fields";
        }
        fields[field++] = value;
        value = 0;
        digits = 0;
      } else {
        byte b = line[i];
        if (b < '0' || b > '9' || digits == 18) {
          return "malformed: field " + (field + 1) + " is not a number";
        }
        value = value * 10 + (b - '0');
        digits++;
      }
    }
    return field == 3 ? null : "malformed: " + field + " fields instead of 3";
  }

  /** Counts wrong lines and remembers the first. */
  private static final class Problems {
    long count;
    String first;

    void add(Path file, long lineNumber, byte[] line, int length, String what) {
      if (count++ == 0) {
        String text = new String(line, 0, Math.min(length, 200), StandardCharsets.UTF_8);
        first =
            "line "
                + file.getFileName()
                + ":"
                + lineNumber
                + " '"
                + text.replace("\t", "\\t")
                + "': "
                + what;
      }
    }
  }
}

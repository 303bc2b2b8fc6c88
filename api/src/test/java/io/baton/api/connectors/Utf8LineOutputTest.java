package io.baton.api.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class Utf8LineOutputTest {
  private static final List<String> LINES =
      List.of(
          "",
          "0,17,-42,1000",
          "ünïcödé",
          "€ and ह",
          "a pair 😀 and a flag 🇩🇪",
          "lone \uD800 high and \uDC00 low, high at the end \uD83D",
          "x".repeat(100),
          // ASCII up to the last character, which is not
          "0,17,-42,1000é",
          "7\u007f\u0080",
          "ASCII that fits the buffer",
          "y".repeat(23));

  private static byte[] expected(List<String> lines) {
    StringBuilder all = new StringBuilder();
    lines.forEach(line -> all.append(line).append('\n'));
    return all.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void linesAreTheBytesOfStringGetBytesAtEveryBufferSize() throws IOException {
    for (int bufferSize = 4; bufferSize <= 24; bufferSize++) {
      ByteArrayOutputStream file = new ByteArrayOutputStream();
      try (Utf8LineOutput out = new Utf8LineOutput(file, bufferSize)) {
        for (String line : LINES) {
          out.writeLine(line);
        }
      }
      assertThat(file.toByteArray())
          .as("buffer of %d bytes", bufferSize)
          .isEqualTo(expected(LINES));
    }
  }

  @Test
  void nothingReachesTheStreamBeforeTheBufferFillsOrTheFileCloses() throws IOException {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    Utf8LineOutput out = new Utf8LineOutput(file, 64);
    out.writeLine("first");

    assertThat(file.size()).isZero();
    out.close();
    assertThat(file.toString(StandardCharsets.UTF_8)).isEqualTo("first\n");
  }

  @Test
  void theStreamIsClosedEvenWhenTheLastBytesCannotBeWritten() throws IOException {
    boolean[] closed = {false};
    OutputStream failing =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("disk full");
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            throw new IOException("disk full");
          }

          @Override
          public void close() {
            closed[0] = true;
          }
        };
    Utf8LineOutput out = new Utf8LineOutput(failing, 16);
    out.writeLine("buffered");

    assertThatThrownBy(out::close).isInstanceOf(IOException.class).hasMessage("disk full");
    assertThat(closed[0]).isTrue();
  }

  @Test
  void aBufferTooSmallForOneCharacterIsRefused() {
    assertThatThrownBy(() -> new Utf8LineOutput(OutputStream.nullOutputStream(), 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the line buffer needs at least 4 bytes, not 3");
  }

  @Test
  void writingALineAllocatesNothing() throws IOException {
    Utf8LineOutput out = new Utf8LineOutput(OutputStream.nullOutputStream(), 1024);
    String line = "1234567,42,-1000,98765 ü€";
    String ascii = "1234567\t42\t-1000";
    for (int i = 0; i < 200_000; i++) {
      out.writeLine(line); // warms the loops up
      out.writeLine(ascii);
    }
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    for (int i = 0; i < 100_000; i++) {
      out.writeLine(line);
      out.writeLine(ascii);
    }
    long allocated = threads.getThreadAllocatedBytes(thread) - before;

    // String.getBytes would make an array per line: 5 MB for these
    assertThat(allocated).as("bytes allocated for 200,000 lines").isLessThan(10_000);
  }
}

package io.baton.api.connectors;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes lines to a stream as UTF-8, each followed by {@code '\n'}, encoding the characters
 * straight into its own buffer: no {@code byte[]} per line, as {@code String.getBytes} would make
 * (the file sink's copy of every line was 5-8 % of a TaskManager's allocation in the Ledger
 * benchmark). The bytes are those of {@code String.getBytes(UTF_8)}, a lone surrogate included
 * ({@code '?'}).
 *
 * <p>Not thread-safe: one per open file, used by the sink's task thread.
 */
final class Utf8LineOutput implements Closeable {
  // the longest encoding of one character (a surrogate pair's code point)
  private static final int MAX_CHAR_BYTES = 4;

  private final OutputStream out;
  private final byte[] buffer;
  private int count;

  /**
   * @param bufferSize bytes gathered before they go to {@code out}; at least 4
   */
  Utf8LineOutput(OutputStream out, int bufferSize) {
    if (bufferSize < MAX_CHAR_BYTES) {
      throw new IllegalArgumentException(
          "the line buffer needs at least " + MAX_CHAR_BYTES + " bytes, not " + bufferSize);
    }
    this.out = out;
    this.buffer = new byte[bufferSize];
  }

  void writeLine(String line) throws IOException {
    int n = line.length();
    if (n < buffer.length - count && isAscii(line, n)) {
      copyAscii(line, n);
    } else {
      encode(line, n);
    }
    if (count == buffer.length) {
      flushBuffer();
    }
    buffer[count++] = '\n';
  }

  /**
   * Most lines are ASCII and fit: then one tight scan and one copy of the characters' bytes beat
   * encoding character by character (the per-character loop was 10-12 % of a TaskManager's CPU
   * samples in the Ledger benchmark).
   */
  private static boolean isAscii(String line, int n) {
    for (int i = 0; i < n; i++) {
      if (line.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  // String.getBytes(int, int, byte[], int) copies each character's low byte: exactly its UTF-8 byte
  // for ASCII, and a plain array copy for a string the JVM stores as bytes
  @SuppressWarnings("deprecation")
  private void copyAscii(String line, int n) {
    line.getBytes(0, n, buffer, count);
    count += n;
  }

  private void encode(String line, int n) throws IOException {
    for (int i = 0; i < n; i++) {
      if (count > buffer.length - MAX_CHAR_BYTES) {
        flushBuffer();
      }
      char c = line.charAt(i);
      if (c < 0x80) {
        buffer[count++] = (byte) c;
      } else if (c < 0x800) {
        buffer[count++] = (byte) (0xC0 | (c >> 6));
        buffer[count++] = (byte) (0x80 | (c & 0x3F));
      } else if (!Character.isSurrogate(c)) {
        buffer[count++] = (byte) (0xE0 | (c >> 12));
        buffer[count++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        buffer[count++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(line.charAt(i + 1))) {
        int codePoint = Character.toCodePoint(c, line.charAt(++i));
        buffer[count++] = (byte) (0xF0 | (codePoint >> 18));
        buffer[count++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
        buffer[count++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
        buffer[count++] = (byte) (0x80 | (codePoint & 0x3F));
      } else {
        buffer[count++] = '?'; // a lone surrogate, as String.getBytes(UTF_8) replaces it
      }
    }
  }

  /** Hands what is buffered to the stream, then closes the stream (also when that fails). */
  @Override
  public void close() throws IOException {
    try (OutputStream closing = out) {
      flushBuffer();
    }
  }

  private void flushBuffer() throws IOException {
    if (count > 0) {
      out.write(buffer, 0, count);
      count = 0;
    }
  }
}

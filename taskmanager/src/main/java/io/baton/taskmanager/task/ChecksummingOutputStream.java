package io.baton.taskmanager.task;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/**
 * Passes bytes on while keeping their CRC32C and count, so a state file's handle is known once its
 * bytes are written, without holding the whole file in memory. Does not close the target: the
 * caller publishes or aborts it.
 */
final class ChecksummingOutputStream extends FilterOutputStream {
  private final CRC32C crc = new CRC32C();
  private long count;

  ChecksummingOutputStream(OutputStream target) {
    super(target);
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    crc.update(b);
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    crc.update(b, off, len);
    count += len;
  }

  @Override
  public void close() throws IOException {
    flush();
  }

  /** The CRC32C of the bytes written so far. */
  long checksum() {
    return crc.getValue();
  }

  /** The number of bytes written so far. */
  long count() {
    return count;
  }
}

package io.baton.storage;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes into a hidden temporary file that {@link #close()} publishes under the target name and
 * {@link #abort()} removes. The stores that can rename (local, HDFS) differ only in how they make
 * the bytes durable, move the file and delete it.
 */
abstract class TemporaryFileOutputStream extends AtomicOutputStream {
  private final OutputStream out;
  private final String target;
  private boolean done;

  /**
   * @param out writes the temporary file
   * @param target the name the file gets, for messages
   */
  TemporaryFileOutputStream(OutputStream out, String target) {
    this.out = out;
    this.target = target;
  }

  @Override
  public final void write(int b) throws IOException {
    ensureOpen();
    out.write(b);
  }

  @Override
  public final void write(byte[] b, int off, int len) throws IOException {
    ensureOpen();
    out.write(b, off, len);
  }

  @Override
  public final void flush() throws IOException {
    ensureOpen();
    out.flush();
  }

  @Override
  public final void close() throws IOException {
    if (done) {
      return;
    }
    done = true;
    publish();
  }

  @Override
  public final void abort() {
    if (done) {
      return;
    }
    done = true;
    discard();
  }

  /**
   * Makes the written bytes durable and moves the temporary file onto the target; when that fails,
   * removes the temporary file and throws.
   */
  protected abstract void publish() throws IOException;

  /** Closes and removes the temporary file; never throws. */
  protected abstract void discard();

  private void ensureOpen() throws IOException {
    if (done) {
      throw new IOException("stream for " + target + " is already closed");
    }
  }
}

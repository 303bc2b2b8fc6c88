package io.baton.storage;

import java.io.OutputStream;

/**
 * Writes a file that becomes visible only on {@link #close()}; {@link #abort()} drops it instead,
 * leaving nothing behind under the target name.
 */
public abstract class AtomicOutputStream extends OutputStream {

  /** Discards what was written; closing afterwards does nothing. Never throws. */
  public abstract void abort();
}

package io.baton.common.io;

import org.slf4j.Logger;

/** Closing what is no longer needed, where a failure to close changes nothing for the caller. */
public final class Closeables {
  private Closeables() {}

  /**
   * Closes {@code closeable} (nothing when null); a failure is logged at DEBUG on {@code log},
   * naming {@code what}, and otherwise ignored: the caller is already on its way out.
   */
  public static void closeQuietly(AutoCloseable closeable, Logger log, String what) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      log.debug("Closing {} failed; carrying on", what, e);
    }
  }
}

package io.baton.common.cluster;

/**
 * The answer to a command between JobManager and TaskManager: done, or refused with a one-line
 * reason the other side logs and shows.
 */
public record Acknowledgement(boolean ok, String error) {
  private static final Acknowledgement OK = new Acknowledgement(true, "");

  public Acknowledgement {
    error = error == null ? "" : error;
    if (ok && !error.isEmpty()) {
      throw new IllegalArgumentException("an accepted command carries no error: " + error);
    }
  }

  /** The command was carried out. */
  public static Acknowledgement accepted() {
    return OK;
  }

  /** The command was refused for {@code reason} (one line). */
  public static Acknowledgement refused(String reason) {
    return new Acknowledgement(false, reason);
  }
}

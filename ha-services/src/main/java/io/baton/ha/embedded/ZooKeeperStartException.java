package io.baton.ha.embedded;

/** The embedded ZooKeeper server could not start; the message is one line naming why. */
final class ZooKeeperStartException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean portInUse;

  ZooKeeperStartException(String message, boolean portInUse, Throwable cause) {
    super(message, cause);
    this.portInUse = portInUse;
  }

  /** Whether another process already listens on the client port. */
  boolean portInUse() {
    return portInUse;
  }
}

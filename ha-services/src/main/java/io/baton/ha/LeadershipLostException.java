package io.baton.ha;

import java.io.IOException;

/**
 * A write to the HA stores was refused because the writer no longer leads: its latch node is gone
 * (session expired, latch closed), so a newer leader may own the stores. The writer must stop
 * acting as leader; retrying cannot succeed.
 */
public class LeadershipLostException extends IOException {
  public LeadershipLostException(String message) {
    super(message);
  }

  public LeadershipLostException(String message, Throwable cause) {
    super(message, cause);
  }
}

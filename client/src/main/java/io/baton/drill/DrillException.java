package io.baton.drill;

/** Ends the drill with one line naming what is wrong. */
final class DrillException extends RuntimeException {
  DrillException(String message) {
    super(message);
  }

  DrillException(String message, Throwable cause) {
    super(message, cause);
  }
}

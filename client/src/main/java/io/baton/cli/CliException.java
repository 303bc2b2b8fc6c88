package io.baton.cli;

/** A failure the CLI reports as one line ("baton: <message>") with exit code 1. */
final class CliException extends RuntimeException {
  CliException(String message) {
    super(message);
  }

  CliException(String message, Throwable cause) {
    super(message, cause);
  }
}

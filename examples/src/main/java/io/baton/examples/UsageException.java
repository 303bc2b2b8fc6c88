package io.baton.examples;

/** A bad or missing command-line argument; the message is one line that names it. */
final class UsageException extends Exception {
  UsageException(String message) {
    super(message);
  }
}

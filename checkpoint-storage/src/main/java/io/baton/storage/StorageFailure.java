package io.baton.storage;

import io.baton.common.config.ErrorLines;
import java.io.IOException;
import java.net.URI;

/**
 * A store operation that failed for a reason a user can act on (unreachable endpoint, missing
 * bucket, refused credentials). The message is one line: the URI, then the reason.
 */
final class StorageFailure extends IOException {
  private final String reason;

  StorageFailure(URI uri, String reason, Throwable cause) {
    super(uri + ": " + reason, cause);
    this.reason = reason;
  }

  /** The reason without the URI. */
  String reason() {
    return reason;
  }

  /** The first line of the innermost message in a cause chain, prefixed with its type. */
  static String describe(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    if (message == null || message.isBlank()) {
      return root.getClass().getSimpleName();
    }
    return root.getClass().getSimpleName() + ": " + firstLine(message);
  }

  /** Whether a failure comes from the network: host unknown, connection refused or timed out. */
  static boolean isNetworkFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.ConnectException
          || t instanceof java.net.UnknownHostException
          || t instanceof java.net.NoRouteToHostException
          || t instanceof java.net.SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** The first line of a message, cut to a length that still reads as one line. */
  static String firstLine(String message) {
    String line = ErrorLines.firstLine(message);
    return line.length() <= 300 ? line : line.substring(0, 297) + "...";
  }
}

package io.baton.coordinator.rest;

/** An answer other than success: the HTTP status and the one line for {@code {"errors":[...]}}. */
final class RestException extends RuntimeException {
  private final int status;

  RestException(int status, String message) {
    super(message);
    this.status = status;
  }

  RestException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  int status() {
    return status;
  }

  static RestException badRequest(String message) {
    return new RestException(400, message);
  }

  static RestException notFound(String message) {
    return new RestException(404, message);
  }
}

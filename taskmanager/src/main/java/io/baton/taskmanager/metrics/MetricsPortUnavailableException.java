package io.baton.taskmanager.metrics;

/** The metrics endpoint found no port of {@code metrics.reporter.prom.port} it could listen on. */
public final class MetricsPortUnavailableException extends RuntimeException {
  MetricsPortUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

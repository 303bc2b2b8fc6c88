package io.baton.common.diagnostics;

import java.util.Objects;

/**
 * What a TaskManager reports of its process for the dashboard: its JVM's figures and where it
 * serves Prometheus metrics.
 *
 * @param metricsPort the port of its {@code /metrics} ({@code metrics.reporter.prom.port}); -1 when
 *     it serves none
 */
public record ProcessFigures(JvmFigures jvm, int metricsPort) {
  public ProcessFigures {
    Objects.requireNonNull(jvm, "jvm");
  }
}

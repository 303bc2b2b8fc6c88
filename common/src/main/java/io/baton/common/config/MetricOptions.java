package io.baton.common.config;

import static io.baton.common.config.ConfigOption.stringOption;

/** Where a TaskManager serves its Prometheus metrics (the JobManager's are on its REST API). */
public final class MetricOptions {
  private MetricOptions() {}

  public static final ConfigOption<String> PROMETHEUS_PORT =
      stringOption(
              "metrics.reporter.prom.port",
              null,
              "Port of a TaskManager's Prometheus endpoint (GET /metrics): a port, a range such as"
                  + " 9250-9260 (the first free one is taken, so several TaskManagers share a"
                  + " host), or 0 for any free port; unset: the TaskManager serves no metrics."
                  + " It binds to taskmanager.bind-host and logs where it listens. The"
                  + " JobManager's metrics are on its REST port.")
          .checkedBy(OptionRange.of(PortRange::isValid, PortRange.FORM_TEXT));
}

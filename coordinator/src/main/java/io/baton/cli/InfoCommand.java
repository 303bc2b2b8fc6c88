package io.baton.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code baton info}: the cluster at a glance. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = "Shows TaskManagers, slots and jobs of the cluster.")
final class InfoCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin ClusterOptions cluster;

  InfoCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    RestClient client = cluster.client(context.env());
    JsonNode o = client.get("/overview");
    line("JobManager", client.address() + " (REST)");
    line("TaskManagers", o.path("taskmanagers").asText());
    line(
        "Slots",
        o.path("slots-total").asText()
            + " total, "
            + o.path("slots-available").asText()
            + " available");
    line(
        "Jobs",
        o.path("jobs-running").asText()
            + " running, "
            + o.path("jobs-finished").asText()
            + " finished, "
            + o.path("jobs-cancelled").asText()
            + " cancelled, "
            + o.path("jobs-failed").asText()
            + " failed");
    line("Version", o.path("baton-version").asText());
    return 0;
  }

  private void line(String label, String value) {
    context.out().printf("%-14s%s%n", label, value);
  }
}

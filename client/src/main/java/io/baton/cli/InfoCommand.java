package io.baton.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code baton info}: the cluster at a glance, with who leads it and under which token. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description =
        "Shows the leading JobManager and the digest of its fencing token, TaskManagers, slots and jobs.")
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
    leadership(client);
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

  /** Who leads (from GET /ha) and its token; a JobManager without /ha still gets the rest shown. */
  private void leadership(RestClient client) {
    JsonNode ha;
    try {
      ha = client.get("/ha");
    } catch (CliException e) {
      line("Leader", "unknown (" + e.getMessage() + ")");
      return;
    }
    String leader = text(ha, "leaderId");
    String rpc = text(ha, "leaderAddress");
    StringBuilder value = new StringBuilder(leader == null ? "none elected" : leader);
    if (rpc != null) {
      value.append(" (RPC ").append(rpc).append(')');
    }
    if (ha.path("leaderSince").isNumber()) {
      value.append(", since ").append(Instant.ofEpochMilli(ha.path("leaderSince").asLong()));
    }
    line("Leader", value.toString());
    String token = text(ha, "leaderTokenDigest");
    line("Token digest", token == null ? "none" : token);
    List<String> contenders = new ArrayList<>();
    ha.path("contenders").forEach(c -> contenders.add(c.asText()));
    line(
        "HA mode",
        ha.path("mode").asText("unknown")
            + (contenders.isEmpty() ? "" : ", contenders " + String.join(", ", contenders)));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
  }

  private void line(String label, String value) {
    context.out().printf("%-14s%s%n", label, value);
  }
}

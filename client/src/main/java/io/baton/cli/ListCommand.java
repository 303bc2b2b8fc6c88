package io.baton.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code baton list}: one line per job, newest first. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "Lists running and finished jobs: id, name, state, start time.")
final class ListCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin ClusterOptions cluster;

  ListCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    JsonNode jobs = cluster.client(context.env()).get("/jobs/overview").path("jobs");
    if (jobs.isEmpty()) {
      context.out().println("No jobs.");
      return 0;
    }
    for (JsonNode job : jobs) {
      context
          .out()
          .println(
              String.join(
                  "\t",
                  job.path("jid").asText(),
                  job.path("name").asText(),
                  job.path("state").asText(),
                  Instant.ofEpochMilli(job.path("start-time").asLong()).toString()));
    }
    return 0;
  }
}

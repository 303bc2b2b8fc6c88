package io.baton.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.baton.common.ids.JobId;
import java.time.Duration;

/**
 * Takes a savepoint through the REST API ({@code POST /jobs/{id}/savepoints}) and waits for it,
 * asking for its status every poll interval.
 */
final class Savepoints {
  /** As long as a checkpoint may take by default (execution.checkpointing.timeout). */
  private static final Duration DEADLINE = Duration.ofMinutes(10);

  private Savepoints() {}

  /**
   * @return the savepoint's path
   * @throws CliException one line, when the job id is bad or the savepoint failed
   */
  static String take(
      CliContext context, RestClient client, String jobId, String directory, boolean cancelJob)
      throws InterruptedException {
    JobId id;
    try {
      id = JobId.parse(jobId);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage(), e);
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    if (directory != null) {
      body.put("target-directory", directory);
    }
    body.put("cancel-job", cancelJob);
    String triggerId = client.post("/jobs/" + id + "/savepoints", body).path("request-id").asText();
    context.out().println("Triggering savepoint for job " + id + ".");
    context.out().flush();
    long deadline = context.clock().millis() + DEADLINE.toMillis();
    while (true) {
      JsonNode status = client.get("/jobs/" + id + "/savepoints/" + triggerId);
      if ("COMPLETED".equals(status.path("status").path("id").asText())) {
        JsonNode operation = status.path("operation");
        if (operation.hasNonNull("location")) {
          return operation.get("location").asText();
        }
        throw new CliException(
            "savepoint of job "
                + id
                + " failed: "
                + operation.path("failure-cause").path("message").asText("unknown cause"));
      }
      if (context.clock().millis() > deadline) {
        throw new CliException(
            "savepoint of job " + id + " did not complete within " + DEADLINE.toMinutes() + " min");
      }
      context.awaitNextPoll();
    }
  }
}

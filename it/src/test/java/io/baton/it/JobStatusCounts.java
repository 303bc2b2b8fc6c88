package io.baton.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/** Reads the {@code "status-counts"} (tasks per state) of a Baton {@code GET /jobs/<id>} body. */
final class JobStatusCounts {
  private JobStatusCounts() {}

  /** Whether the job has tasks and every one of them is RUNNING (the job's own state aside). */
  static boolean allTasksRunning(JsonNode job) {
    JsonNode counts = job.get("status-counts");
    int total = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = counts.fields(); it.hasNext(); ) {
      total += it.next().getValue().asInt();
    }
    return total > 0 && counts.get("RUNNING").asInt() == total;
  }
}

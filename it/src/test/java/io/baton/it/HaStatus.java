package io.baton.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A JobManager's answer to {@code GET /ha}: whether it leads, whom it knows as leader, and the
 * contenders of the election.
 */
record HaStatus(
    String mode,
    boolean leader,
    String id,
    String leaderId,
    String leaderAddress,
    String leaderRestUrl,
    String leaderTokenDigest,
    Long leaderSince,
    List<String> contenders) {

  static HaStatus of(JsonNode body) {
    if (body == null || !body.has("leader") || !body.has("id")) {
      throw new AssertionError("GET /ha answered no HA status: " + body);
    }
    List<String> contenders = new ArrayList<>();
    JsonNode list = body.get("contenders");
    if (list != null) {
      list.forEach(c -> contenders.add(c.asText()));
    }
    return new HaStatus(
        text(body, "mode"),
        body.get("leader").asBoolean(),
        text(body, "id"),
        text(body, "leaderId"),
        text(body, "leaderAddress"),
        text(body, "leaderRestUrl"),
        text(body, "leaderTokenDigest"),
        body.hasNonNull("leaderSince") ? body.get("leaderSince").asLong() : null,
        contenders);
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}

package io.baton.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.common.security.RestClientSecurity;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * What the drill asks the JobManagers over REST: {@code GET /ha} on each master to find the leader,
 * and the job's details, subtask times and checkpoints from the leader. A JobManager that does not
 * answer within two seconds (killed, paused, starting) is simply not there.
 */
final class ClusterRest {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RestClientSecurity security;
  private final HttpClient client;

  /** Plain http without a token. */
  ClusterRest() {
    this(RestClientSecurity.none());
  }

  /**
   * @param security https and the REST token, as the cluster's configuration asks
   */
  ClusterRest(RestClientSecurity security) {
    this.security = security;
    this.client =
        security
            .configure(HttpClient.newBuilder())
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * The leader as a JobManager of {@code masters} reports itself.
   *
   * @param id its contender id (the conf/masters line)
   * @param restUrl where to reach it
   * @param leaderTokenDigest a digest of its fencing token, new with every leadership
   * @param since epoch millis since when it leads
   */
  record Leader(String id, String restUrl, String leaderTokenDigest, long since) {}

  /** The JobManager of {@code masters} whose GET /ha says it leads; masters in skip not asked. */
  Optional<Leader> leader(Collection<String> masters, Collection<String> skip) {
    for (String master : masters) {
      if (skip.contains(master)) {
        continue;
      }
      Optional<JsonNode> ha = get(security.baseUrl(master), "/ha");
      if (ha.isPresent() && ha.get().path("leader").asBoolean(false)) {
        JsonNode h = ha.get();
        return Optional.of(
            new Leader(
                h.path("id").asText(master),
                security.baseUrl(master),
                h.path("leaderTokenDigest").asText(""),
                h.path("leaderSince").asLong(-1)));
      }
    }
    return Optional.empty();
  }

  /** Whether the JobManager at {@code master} answers GET /ha. */
  boolean answers(String master) {
    return get(security.baseUrl(master), "/ha").isPresent();
  }

  /** The body of GET {@code baseUrl + path} when it answers 200 with JSON in time. */
  Optional<JsonNode> get(String baseUrl, String path) {
    try {
      HttpResponse<String> response =
          client.send(
              security
                  .authorize(HttpRequest.newBuilder(URI.create(baseUrl + path)))
                  .timeout(TIMEOUT)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Optional.empty();
      }
      return Optional.of(JSON.readTree(response.body()));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DrillException("interrupted", e);
    }
  }
}

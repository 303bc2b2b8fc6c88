package io.baton.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.common.security.RestClientSecurity;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Talks JSON to the JobManager's REST API. Every request has a timeout; every failure becomes a
 * {@link CliException} with one line: the server's own error message when it sent one.
 *
 * <p>A standby JobManager sends writes on to the leader (HTTP 307) and answers reads with {@code
 * "leader": false} and the leader's URL: the client follows both, for every method and body, and
 * then talks to the leader directly.
 */
final class RestClient {
  // nothing listening must be told within 3 s; a JobManager that is up accepts at once
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  // running a jar executes its main() on the JobManager (jobmanager.program.timeout, 60 s)
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
  // a standby names the leader, which answers itself: more hops mean JobManagers that disagree
  private static final int MAX_HOPS = 5;
  // the one read a standby answers with its own view (besides /metrics, which is not JSON)
  private static final String HA_PATH = "/ha";

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http;
  private final RestClientSecurity security;

  /** Where requests go: the JobManager named at first, the leader once one sent us on. */
  private URI base;

  /**
   * @param security https and the token, as the configuration asks
   * @param address host:port of the REST API
   */
  RestClient(RestClientSecurity security, String address) {
    this(security, URI.create(security.baseUrl(address)));
  }

  /**
   * @param security https and the token, as the configuration asks
   * @param baseUrl the REST API's URL, {@code http(s)://host:port}
   */
  RestClient(RestClientSecurity security, URI baseUrl) {
    this.base = origin(baseUrl);
    this.security = security;
    // redirects are followed by hand: the JDK's NORMAL policy turns some into GETs and hides them
    this.http =
        security
            .configure(HttpClient.newBuilder())
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** host:port of the JobManager requests go to (the leader, once a standby named it). */
  String address() {
    return base.getRawAuthority();
  }

  JsonNode get(String path) {
    return send(request(path, REQUEST_TIMEOUT).GET(), "GET", path);
  }

  JsonNode patch(String path) {
    return send(
        request(path, REQUEST_TIMEOUT).method("PATCH", BodyPublishers.noBody()), "PATCH", path);
  }

  /** Posts a JSON body; a run waits for the jar's main(), so it may take a while. */
  JsonNode post(String path, JsonNode body) {
    String text;
    try {
      text = json.writeValueAsString(body);
    } catch (IOException e) {
      throw new CliException("cannot write the request body: " + e.getMessage(), e);
    }
    return send(
        request(path, RUN_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(text)),
        "POST",
        path);
  }

  /** Uploads a jar in the form field {@code jarfile}, as {@code POST /jars/upload} expects. */
  JsonNode uploadJar(Path jar) {
    MultipartBody body;
    try {
      body = new MultipartBody("jarfile", jar);
    } catch (FileNotFoundException e) {
      throw new CliException("jar file " + jar + " does not exist", e);
    }
    return send(
        request("/jars/upload", RUN_TIMEOUT)
            .header("Content-Type", body.contentType())
            .POST(body.publisher()),
        "POST",
        "/jars/upload");
  }

  private HttpRequest.Builder request(String path, Duration timeout) {
    return security.authorize(
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(timeout)
            .header("Accept", "application/json"));
  }

  private JsonNode send(HttpRequest.Builder builder, String method, String path) {
    HttpRequest request = builder.build();
    for (int hop = 0; ; hop++) {
      HttpResponse<String> response = exchange(request, method, path);
      JsonNode body = parse(response.body());
      URI leader = leaderToFollow(response, body, path);
      if (leader == null) {
        return answer(response, body, method, path);
      }
      if (hop + 1 >= MAX_HOPS) {
        throw new CliException(
            "the JobManagers sent "
                + method
                + " "
                + path
                + " on "
                + MAX_HOPS
                + " times without reaching the leader; last to "
                + leader);
      }
      // same method, headers and body (a jar upload is streamed from its file again)
      request = HttpRequest.newBuilder(request, (name, value) -> true).uri(leader).build();
      base = origin(leader);
    }
  }

  /**
   * Where a standby sent us: the Location of a 307/308, or the leader's URL in a standby's answer
   * to a read; null when this answer is the leader's own.
   */
  private URI leaderToFollow(HttpResponse<String> response, JsonNode body, String path) {
    int status = response.statusCode();
    URI at = response.request().uri();
    if (status == 307 || status == 308) {
      String location =
          response
              .headers()
              .firstValue("Location")
              .orElseThrow(
                  () ->
                      new CliException(
                          "the JobManager at "
                              + at.getRawAuthority()
                              + " redirected without a Location"));
      try {
        return at.resolve(location);
      } catch (IllegalArgumentException e) {
        throw new CliException(
            "the JobManager at "
                + at.getRawAuthority()
                + " redirected to '"
                + location
                + "', which is not a URL",
            e);
      }
    }
    if (status / 100 == 2
        && !path.equals(HA_PATH)
        && body != null
        && body.path("leader").isBoolean()
        && !body.path("leader").asBoolean()) {
      String leaderUrl = body.path("leaderRestUrl").asText("");
      if (leaderUrl.isEmpty()) {
        throw new CliException(
            "the JobManager at " + at.getRawAuthority() + " is a standby and knows no leader");
      }
      try {
        return origin(URI.create(leaderUrl)).resolve(at.getRawPath() + query(at));
      } catch (IllegalArgumentException e) {
        throw new CliException(
            "the JobManager at "
                + at.getRawAuthority()
                + " names the leader at '"
                + leaderUrl
                + "', which is not a URL",
            e);
      }
    }
    return null;
  }

  private HttpResponse<String> exchange(HttpRequest request, String method, String path) {
    String address = request.uri().getRawAuthority();
    try {
      return http.send(request, BodyHandlers.ofString());
    } catch (HttpConnectTimeoutException e) {
      throw unreachable(address, e);
    } catch (HttpTimeoutException e) {
      throw new CliException(
          "the JobManager at " + address + " did not answer " + method + " " + path + " in time",
          e);
    } catch (IOException e) {
      throw unreachable(address, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted while waiting for the JobManager", e);
    }
  }

  private static JsonNode answer(
      HttpResponse<String> response, JsonNode body, String method, String path) {
    String address = response.request().uri().getRawAuthority();
    if (response.statusCode() / 100 != 2) {
      throw new CliException(
          errorMessage(body, response.body(), address, response.statusCode(), method, path));
    }
    if (body == null) {
      throw new CliException(
          "the JobManager at " + address + " answered " + method + " " + path + " without JSON");
    }
    return body;
  }

  /** {@code scheme://authority} of a URL: where the REST API is, without path or query. */
  private static URI origin(URI url) {
    if (url.getScheme() == null || url.getRawAuthority() == null) {
      throw new CliException("not a JobManager REST URL: '" + url + "'");
    }
    return URI.create(url.getScheme() + "://" + url.getRawAuthority());
  }

  private static String query(URI uri) {
    return uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
  }

  private JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? null : json.readTree(body);
    } catch (IOException notJson) {
      return null;
    }
  }

  private static String errorMessage(
      JsonNode body, String text, String address, int status, String method, String path) {
    if (body != null && body.path("errors").isArray() && !body.path("errors").isEmpty()) {
      List<String> errors = new ArrayList<>();
      body.get("errors").forEach(e -> errors.add(firstLine(e.asText())));
      return String.join("; ", errors);
    }
    // e.g. a standby's 503 "no leader elected" is plain text
    String said = body == null ? firstLine(text) : "";
    if (said.isEmpty()) {
      return "the JobManager answered HTTP " + status + " to " + method + " " + path;
    }
    return "the JobManager at "
        + address
        + " answered HTTP "
        + status
        + " to "
        + method
        + " "
        + path
        + ": "
        + said;
  }

  private static CliException unreachable(String address, IOException e) {
    if (e instanceof HttpConnectTimeoutException || refused(e)) {
      return new CliException(
          "no JobManager answers at " + address + " (is the cluster running? bin/start-cluster.sh)",
          e);
    }
    return new CliException("cannot reach the JobManager at " + address + ": " + reason(e), e);
  }

  private static boolean refused(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException) {
        return true;
      }
    }
    return false;
  }

  /** The first message in the cause chain: HttpClient often wraps the one that says why. */
  private static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return firstLine(t.getMessage());
      }
    }
    return e.getClass().getSimpleName();
  }

  static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("").trim();
  }
}

package io.baton.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 */
final class RestClient {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  // running a jar executes its main() on the JobManager (jobmanager.program.timeout, 60 s)
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

  private final String address;
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http;

  /**
   * @param address host:port of the REST API
   */
  RestClient(String address) {
    this.address = address;
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
  }

  String address() {
    return address;
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
    return HttpRequest.newBuilder(URI.create("http://" + address + path))
        .timeout(timeout)
        .header("Accept", "application/json");
  }

  private JsonNode send(HttpRequest.Builder request, String method, String path) {
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), BodyHandlers.ofString());
    } catch (HttpConnectTimeoutException e) {
      throw unreachable(e);
    } catch (HttpTimeoutException e) {
      throw new CliException(
          "the JobManager at " + address + " did not answer " + method + " " + path + " in time",
          e);
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted while waiting for the JobManager", e);
    }
    JsonNode body = parse(response.body());
    if (response.statusCode() / 100 != 2) {
      throw new CliException(errorMessage(body, response.statusCode(), method, path));
    }
    if (body == null) {
      throw new CliException(
          "the JobManager at " + address + " answered " + method + " " + path + " without JSON");
    }
    return body;
  }

  private JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? null : json.readTree(body);
    } catch (IOException notJson) {
      return null;
    }
  }

  private static String errorMessage(JsonNode body, int status, String method, String path) {
    if (body != null && body.path("errors").isArray() && !body.path("errors").isEmpty()) {
      List<String> errors = new ArrayList<>();
      body.get("errors").forEach(e -> errors.add(firstLine(e.asText())));
      return String.join("; ", errors);
    }
    return "the JobManager answered HTTP " + status + " to " + method + " " + path;
  }

  private CliException unreachable(IOException e) {
    return new CliException("cannot reach the JobManager at " + address + ": " + reason(e), e);
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

package io.baton.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.common.security.RestClientSecurity;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A JobManager's REST API as a test (or a monitoring script) sees it: HTTP and JSON, over https and
 * with the REST token when the cluster's keys ask for them.
 */
final class RestApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final RestClientSecurity security;
  private final HttpClient http;

  RestApi(String host, int port) {
    this(host, port, RestClientSecurity.none());
  }

  RestApi(String host, int port, RestClientSecurity security) {
    this.security = security;
    this.baseUrl = security.baseUrl(host + ":" + port);
    this.http =
        security.configure(HttpClient.newBuilder()).connectTimeout(Duration.ofSeconds(5)).build();
  }

  String baseUrl() {
    return baseUrl;
  }

  /** The response to a request: its status and its body parsed as JSON (or null). */
  record Response(int status, JsonNode body, String text) {}

  Response get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  /** A GET that gives up after {@code timeout} (a frozen or dead server must not stall a poll). */
  Response get(String path, Duration timeout) {
    return send(HttpRequest.newBuilder(uri(path)).GET(), timeout);
  }

  JsonNode getOk(String path) {
    Response r = get(path);
    if (r.status() != 200) {
      throw new AssertionError("GET " + path + " answered " + r.status() + ": " + r.text());
    }
    return r.body();
  }

  Response patch(String path) {
    return send(
        HttpRequest.newBuilder(uri(path)).method("PATCH", HttpRequest.BodyPublishers.noBody()));
  }

  Response postJson(String path, String json) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** Uploads a file as Flink's web UI does: multipart form field "jarfile". */
  Response uploadJar(Path jar) throws IOException {
    String boundary = "baton-" + UUID.randomUUID();
    byte[] head =
        ("--"
                + boundary
                + "\r\n"
                + "Content-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName()
                + "\"\r\n"
                + "Content-Type: application/x-java-archive\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] content = Files.readAllBytes(jar);
    byte[] body = new byte[head.length + content.length + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    System.arraycopy(content, 0, body, head.length, content.length);
    System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
    return send(
        HttpRequest.newBuilder(uri("/jars/upload"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  /**
   * Uploads {@code jar} to an Apache Flink JobManager ({@code POST /jars/upload}) and runs {@code
   * entryClass} from it ({@code POST /jars/<jar id>/run}), as Flink's web UI does; returns the job
   * id. The job's main() runs on the JobManager.
   */
  String submitToFlink(Path jar, String entryClass, int parallelism, List<String> programArgs)
      throws IOException {
    Response upload = uploadJar(jar);
    if (upload.status() != 200 || upload.body() == null || !upload.body().has("filename")) {
      throw new AssertionError(
          "Flink jar upload of "
              + jar
              + " to "
              + baseUrl
              + " answered "
              + upload.status()
              + ": "
              + upload.text());
    }
    // Flink answers the stored file's full path; the jar id is its file name
    String jarId = Path.of(upload.body().get("filename").asText()).getFileName().toString();
    var body = JSON.createObjectNode();
    body.put("entryClass", entryClass);
    body.put("parallelism", parallelism);
    var args = body.putArray("programArgsList");
    programArgs.forEach(args::add);
    Response run = postJson("/jars/" + jarId + "/run", body.toString());
    if (run.status() != 200 || run.body() == null || !run.body().has("jobid")) {
      throw new AssertionError(
          "Flink run of "
              + entryClass
              + " on "
              + baseUrl
              + " answered "
              + run.status()
              + ": "
              + run.text());
    }
    return run.body().get("jobid").asText();
  }

  /** Uploads a jar and runs it; returns the job id. */
  String submit(Path jar, int parallelism, String... programArgs) throws IOException {
    Response upload = uploadJar(jar);
    if (upload.status() != 200) {
      throw new AssertionError("upload answered " + upload.status() + ": " + upload.text());
    }
    String jarId = upload.body().get("filename").asText();
    Response run = run(jarId, parallelism, programArgs);
    if (run.status() != 200) {
      throw new AssertionError("run answered " + run.status() + ": " + run.text());
    }
    return run.body().get("jobid").asText();
  }

  Response run(String jarId, int parallelism, String... programArgs) {
    var body = JSON.createObjectNode();
    body.put("parallelism", parallelism);
    var args = body.putArray("programArgsList");
    for (String a : programArgs) {
      args.add(a);
    }
    return postJson("/jars/" + jarId + "/run", body.toString());
  }

  /** Runs an uploaded jar from a savepoint (Flink's "savepointPath"); returns the job id. */
  String runFromSavepoint(String jarId, int parallelism, String savepoint, String... programArgs) {
    var body = JSON.createObjectNode();
    body.put("parallelism", parallelism);
    body.put("savepointPath", savepoint);
    var args = body.putArray("programArgsList");
    for (String a : programArgs) {
      args.add(a);
    }
    Response run = postJson("/jars/" + jarId + "/run", body.toString());
    if (run.status() != 200) {
      throw new AssertionError(
          "run from " + savepoint + " answered " + run.status() + ": " + run.text());
    }
    return run.body().get("jobid").asText();
  }

  /** Uploads a jar; returns its id. */
  String upload(Path jar) throws IOException {
    Response upload = uploadJar(jar);
    if (upload.status() != 200) {
      throw new AssertionError("upload answered " + upload.status() + ": " + upload.text());
    }
    return upload.body().get("filename").asText();
  }

  /**
   * Takes a savepoint as Flink's REST API does (trigger, then poll the operation) and returns its
   * location.
   */
  String savepoint(String jobId, String targetDirectory, boolean cancelJob, Duration deadline) {
    var body = JSON.createObjectNode();
    body.put("target-directory", targetDirectory);
    body.put("cancel-job", cancelJob);
    Response trigger = postJson("/jobs/" + jobId + "/savepoints", body.toString());
    if (trigger.status() != 202) {
      throw new AssertionError(
          "savepoint trigger answered " + trigger.status() + ": " + trigger.text());
    }
    String requestId = trigger.body().get("request-id").asText();
    long stop = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < stop) {
      JsonNode status = getOk("/jobs/" + jobId + "/savepoints/" + requestId);
      if (status.get("status").get("id").asText().equals("COMPLETED")) {
        JsonNode operation = status.get("operation");
        if (operation.has("location")) {
          return operation.get("location").asText();
        }
        throw new AssertionError("savepoint of " + jobId + " failed: " + operation);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
    }
    throw new AssertionError("savepoint of " + jobId + " not complete within " + deadline);
  }

  String jobState(String jobId) {
    return getOk("/jobs/" + jobId).get("state").asText();
  }

  private URI uri(String path) {
    return URI.create(baseUrl + path);
  }

  private Response send(HttpRequest.Builder request) {
    return send(request, Duration.ofSeconds(30));
  }

  private Response send(HttpRequest.Builder request, Duration timeout) {
    try {
      HttpResponse<String> r =
          http.send(
              security.authorize(request).timeout(timeout).build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      try {
        json = r.body().isBlank() ? null : JSON.readTree(r.body());
      } catch (IOException notJson) {
        // /metrics answers text; keep the raw body
      }
      return new Response(r.statusCode(), json, r.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("request to " + baseUrl + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

package io.baton.coordinator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.common.security.RestClientSecurity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/** A small HTTP client for REST tests: real requests over loopback. */
public final class TestHttp {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client;
  private final String base;
  private final RestClientSecurity security;

  public TestHttp(int port) {
    this(port, RestClientSecurity.none());
  }

  /** A client that uses https and sends a token as {@code security} says. */
  public TestHttp(int port, RestClientSecurity security) {
    this.security = security;
    this.base = security.baseUrl("127.0.0.1:" + port);
    this.client =
        security.configure(HttpClient.newBuilder()).connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** A response with its status, content type and body. */
  public record Response(int status, String contentType, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    /** The single message of an error body. */
    public String error() {
      JsonNode errors = json().get("errors");
      if (errors == null || errors.size() != 1) {
        throw new AssertionError("not an error body with one message: " + body);
      }
      return errors.get(0).asText();
    }
  }

  public Response get(String path) {
    return send(request(path).GET());
  }

  public Response patch(String path) {
    return send(request(path).method("PATCH", BodyPublishers.noBody()));
  }

  public Response delete(String path) {
    return send(request(path).DELETE());
  }

  public Response post(String path, String jsonBody) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(jsonBody)));
  }

  public Response upload(String fileName, byte[] content) {
    String boundary = "----baton" + UUID.randomUUID();
    byte[] head =
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + fileName
                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    return send(
        request("/jars/upload")
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(
                BodyPublishers.concat(
                    BodyPublishers.ofByteArray(head),
                    BodyPublishers.ofByteArray(content),
                    BodyPublishers.ofByteArray(tail))));
  }

  private HttpRequest.Builder request(String path) {
    return security.authorize(
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)));
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = client.send(request.build(), BodyHandlers.ofString());
      return new Response(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

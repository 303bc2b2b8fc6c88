package io.baton.cli.yarn;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Whether a JobManager's REST API answers {@code GET /overview}. */
final class RestProbe {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  boolean answers(URI restUrl) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(restUrl.resolve("/overview")).timeout(Duration.ofSeconds(2)).build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }
}

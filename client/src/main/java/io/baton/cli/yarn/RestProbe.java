package io.baton.cli.yarn;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Whether a JobManager's REST API answers {@code GET /overview}, and asking it to end its cluster
 * ({@code DELETE /cluster}).
 */
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

  /**
   * Asks the JobManager to end its cluster.
   *
   * @throws YarnDeploymentException when it does not accept (202)
   */
  void requestShutdown(URI restUrl) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(restUrl.resolve("/cluster"))
            .timeout(Duration.ofSeconds(10))
            .DELETE()
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new YarnDeploymentException(
          "DELETE " + request.uri() + " failed: " + e.getMessage(), e);
    }
    if (response.statusCode() != 202) {
      throw new YarnDeploymentException(
          "DELETE "
              + request.uri()
              + " answered "
              + response.statusCode()
              + ": "
              + response.body());
    }
  }
}

package io.baton.coordinator.rest;

import io.baton.common.config.Configuration;
import io.baton.common.config.ErrorLines;
import io.baton.common.security.RestClientSecurity;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standby's answer to Flink's clients: the request is sent on to the leader and the leader's
 * answer comes back unchanged. Flink's REST client follows no redirects and reads only Flink's
 * shapes, so neither a 307 nor Baton's {@code {"leader": false}} would do; with no leader known or
 * the leader unreachable the answer is a 503 in Flink's error shape, on which Flink's client tries
 * again.
 */
final class LeaderProxy {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderProxy.class);

  /** Marks a proxied request, so a stale leader address can never bounce it around. */
  static final String PROXIED_HEADER = "X-Baton-Proxied-By";

  private static final List<String> FORWARDED_HEADERS =
      List.of("Content-Type", "Accept", "Authorization", "Cookie");
  private static final Set<String> BODYLESS = Set.of("GET", "HEAD", "DELETE", "OPTIONS");

  private final Configuration configuration;
  private final Duration timeout;
  private volatile HttpClient client;

  /**
   * @param configuration for https towards the leader when {@code security.ssl.rest.enabled}
   * @param timeout for connecting and for the leader's whole answer
   */
  LeaderProxy(Configuration configuration, Duration timeout) {
    this.configuration = configuration;
    this.timeout = timeout;
  }

  /**
   * Answers {@code ctx} with what the leader answers to the same request.
   *
   * @param standby this JobManager's view: its id and the leader's REST URL (null or empty when no
   *     leader is known)
   */
  void forward(Context ctx, HaStatus standby) throws InterruptedException {
    String leaderRestUrl = standby.leaderRestUrl();
    String what = ctx.method() + " " + FlinkPathPrefix.PREFIX + ctx.path();
    if (leaderRestUrl == null || leaderRestUrl.isEmpty()) {
      throw new RestException(503, "this JobManager is a standby and no leader is elected yet");
    }
    if (ctx.header(PROXIED_HEADER) != null) {
      throw new RestException(
          503,
          "this JobManager is a standby and "
              + ctx.header(PROXIED_HEADER)
              + " took it for the leader: the leader changes, try again");
    }
    String query = ctx.queryString();
    URI target =
        URI.create(
            leaderRestUrl
                + FlinkPathPrefix.PREFIX
                + ctx.path()
                + (query == null ? "" : "?" + query));
    String method = ctx.method().name();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target)
            .timeout(timeout)
            .header(PROXIED_HEADER, standby.id())
            .method(
                method,
                BODYLESS.contains(method)
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(ctx.bodyAsBytes()));
    for (String name : FORWARDED_HEADERS) {
      String value = ctx.header(name);
      if (value != null) {
        request.header(name, value);
      }
    }
    HttpResponse<byte[]> answer;
    try {
      answer = client().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      LOG.info("Could not pass {} on to the leader {}: {}", what, leaderRestUrl, e.toString());
      throw new RestException(
          503,
          "this JobManager is a standby and the leader "
              + leaderRestUrl
              + " did not answer "
              + what
              + ": "
              + ErrorLines.chain(e),
          e);
    }
    LOG.debug("Passed {} on to the leader {}: {}", what, leaderRestUrl, answer.statusCode());
    ctx.status(answer.statusCode());
    answer.headers().firstValue("Content-Type").ifPresent(ctx::contentType);
    ctx.result(answer.body());
  }

  private HttpClient client() {
    HttpClient c = client;
    if (c == null) {
      synchronized (this) {
        if (client == null) {
          // built on first use: a standby that never proxies needs no client keystore
          client =
              RestClientSecurity.fromConfiguration(configuration)
                  .configure(HttpClient.newBuilder())
                  .connectTimeout(timeout)
                  .followRedirects(HttpClient.Redirect.NEVER)
                  .build();
        }
        c = client;
      }
    }
    return c;
  }
}

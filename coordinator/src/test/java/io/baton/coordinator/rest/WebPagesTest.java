package io.baton.coordinator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.common.config.Configuration;
import io.baton.common.config.SecurityOptions;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flink's web dashboard at {@code /} and Baton's HA console at {@code /console/}: served by a
 * leader and a standby alike with their content types and caching headers, public even with the
 * REST token on while their data calls need it, and a standby passing the dashboard's data calls on
 * to the leader.
 */
class WebPagesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final List<RestServer> servers = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stopServers() {
    servers.forEach(RestServer::close);
  }

  @Test
  void theDashboardAndTheConsoleAreServedWithTheirTypesAndCaching() throws Exception {
    int port = start(RestFixtures.configuration(), new FakeDispatcher(), null).port();

    HttpResponse<String> index = get(port, "/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(index.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(index.body()).contains("<flink-root>", "Apache Flink Web Dashboard");
    // the way to Baton's console, right before the end of the page
    assertThat(index.body()).contains("id=\"baton-console-link\" href=\"console/\"");
    assertThat(index.body().indexOf("baton-console-link"))
        .isLessThan(index.body().lastIndexOf("</body>"));
    assertThat(get(port, "/index.html").body()).isEqualTo(index.body());

    Matcher main = Pattern.compile("src=\"(main\\.[0-9a-f]+\\.js)\"").matcher(index.body());
    assertThat(main.find()).as("the page names its main script").isTrue();
    HttpResponse<String> script = get(port, "/" + main.group(1));
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type").orElse("")).contains("javascript");
    assertThat(script.headers().firstValue("Cache-Control")).hasValue("public, max-age=86400");

    HttpResponse<String> console = get(port, "/console/");
    assertThat(console.statusCode()).isEqualTo(200);
    assertThat(console.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(console.body()).contains("<title>Baton HA console</title>");
    assertThat(get(port, "/console/console.js").headers().firstValue("Content-Type").orElse(""))
        .contains("javascript");
    assertThat(get(port, "/console/console.css").headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/css");
    HttpResponse<String> bare = get(port, "/console");
    assertThat(bare.statusCode()).isEqualTo(301);
    assertThat(bare.headers().firstValue("Location")).hasValue("/console/");

    // no way out of the served directories: Jetty refuses the path (400) or finds nothing (404)
    for (String outside :
        List.of(
            "/../flink-dashboard/META-INF/NOTICE",
            "/console/../../io/baton/coordinator/rest/RestServer.class",
            "/console/%2e%2e/%2e%2e/io/baton/coordinator/rest/RestServer.class")) {
      HttpResponse<String> refused = get(port, outside);
      assertThat(refused.statusCode()).as(outside).isIn(400, 404);
      assertThat(refused.body()).as(outside).doesNotContain("Apache License", "RestServer");
    }
  }

  @Test
  void aStandbyServesThePagesAndPassesTheDashboardsCallsOnToTheLeader() throws Exception {
    FakeDispatcher leaderDispatcher = new FakeDispatcher();
    JobDetails job = RestFixtures.job(JobStatus.RUNNING, null);
    leaderDispatcher.addJob(job);
    RestServer leader = start(RestFixtures.configuration(), leaderDispatcher, null);
    String leaderUrl = "http://127.0.0.1:" + leader.port();
    int standby =
        start(
                RestFixtures.configuration(),
                new FakeDispatcher(),
                RestFixtures.standbyOf(() -> leaderUrl))
            .port();

    assertThat(get(standby, "/").body()).contains("<flink-root>");
    assertThat(get(standby, "/console/").statusCode()).isEqualTo(200);

    String page = "http://127.0.0.1:" + standby + "/";
    JsonNode fromDashboard = json(get(standby, "/jobs/overview", "Referer", page));
    assertThat(fromDashboard.get("jobs").get(0).get("jid").asText()).isEqualTo(job.id().value());

    // Baton's own calls, and calls from any other page, keep the standby's own answer
    assertThat(json(get(standby, "/jobs/overview")).get("leader").asBoolean()).isFalse();
    JsonNode fromElsewhere = json(get(standby, "/jobs/overview", "Referer", page + "console/"));
    assertThat(fromElsewhere.get("leader").asBoolean()).isFalse();
    JsonNode otherHost =
        json(get(standby, "/jobs/overview", "Referer", "http://elsewhere.example:80/"));
    assertThat(otherHost.get("leader").asBoolean()).isFalse();
  }

  @Test
  void withTheTokenOnThePagesArePublicAndTheirDataCallsNeedTheTokenOrItsCookie() throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("rest.token"), "s3cret\n");
    Configuration conf =
        RestFixtures.configuration()
            .set(SecurityOptions.REST_AUTH_TYPE, SecurityOptions.RestAuthType.TOKEN)
            .set(SecurityOptions.REST_AUTH_TOKEN_FILE, tokenFile.toString());
    int port = start(conf, new FakeDispatcher(), null).port();

    assertThat(get(port, "/").statusCode()).isEqualTo(200);
    assertThat(get(port, "/console/console.js").statusCode()).isEqualTo(200);
    // a directory of the dashboard's files is no page: no way round the token
    assertThat(get(port, "/assets").statusCode()).isEqualTo(401);

    HttpResponse<String> anonymous = get(port, "/overview");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(json(anonymous).get("errors").get(0).asText()).contains("missing or wrong");
    assertThat(get(port, "/overview", "Cookie", "baton-rest-token=wrong").statusCode())
        .isEqualTo(401);
    HttpResponse<String> withCookie = get(port, "/overview", "Cookie", "baton-rest-token=s3cret");
    assertThat(withCookie.statusCode()).isEqualTo(200);
    assertThat(json(withCookie).has("taskmanagers")).isTrue();
    // a write is no page, whatever its path
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/index.html"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(401);
  }

  private RestServer start(Configuration conf, FakeDispatcher dispatcher, HaStatus.Source ha) {
    RestServer server =
        RestFixtures.server(conf, dispatcher, dir.resolve("blobs-" + servers.size()), ha);
    servers.add(server);
    server.start();
    return server;
  }

  private HttpResponse<String> get(int port, String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }
}

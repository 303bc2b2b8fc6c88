package io.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.common.ids.JobId;
import io.baton.coordinator.JobManager;
import io.baton.coordinator.JobManagerTestCluster;
import io.baton.coordinator.ha.HaTestCluster;
import io.baton.coordinator.jobmaster.JobSubmission;
import io.baton.coordinator.status.JobStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standby under {@code rest.auth.type: token}: it refuses a request without the token before
 * saying where the leader is, sends one with the token on to the leader, and {@code bin/baton}
 * pointed at the standby follows it there with the token.
 */
class StandbyRedirectWithTokenTest {
  private static final String TOKEN = "standby-token-0123456789";

  @TempDir Path dir;
  private HaTestCluster cluster;
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theStandbySendsAnAuthorizedWriteToTheLeaderAndTheCliFollowsItWithTheToken()
      throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("rest.token"), TOKEN + "\n");
    cluster =
        new HaTestCluster(
            dir, Map.of("rest.auth.type", "token", "rest.auth.token-file", tokenFile.toString()));
    JobManager leader = cluster.startJobManager();
    cluster.awaitLeader();
    JobManager standby = cluster.startJobManager();
    cluster.addTaskManager(leader, 4);
    cluster.addTaskManager(leader, 4);
    JobId job =
        leader
            .dispatcher()
            .submitJob(
                new JobSubmission(
                    JobManagerTestCluster.wordCount(), Optional.of("jar-key"), Optional.empty()))
            .get(5, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                new ObjectMapper()
                    .readTree(send(standby, "GET", "/ha", null).body())
                    .path("leaderSince")
                    .isNumber());
    String path = "/jobs/" + job + "?mode=cancel";

    HttpResponse<String> anonymous = send(standby, "PATCH", path, null);
    assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("Location")).isEmpty();
    HttpResponse<String> authorized = send(standby, "PATCH", path, TOKEN);
    assertThat(authorized.statusCode()).as(authorized.body()).isEqualTo(307);
    assertThat(authorized.headers().firstValue("Location"))
        .contains("http://127.0.0.1:" + leader.restPort() + path);
    assertThat(HaTestCluster.job(leader, job).orElseThrow().status())
        .as("neither answer cancelled the job")
        .isNotIn(JobStatus.CANCELLING, JobStatus.CANCELED);

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(
        conf.resolve("baton-conf.yaml"),
        "rest.auth.type: token\nrest.auth.token-file: " + tokenFile + "\n");
    int exit =
        new BatonCli(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                Map.of(),
                Duration.ofMillis(20),
                Clock.systemUTC())
            .execute(
                "cancel",
                job.toString(),
                "--jobmanager",
                "127.0.0.1:" + standby.restPort(),
                "--conf",
                conf.toString());

    assertThat(exit).as(err.toString()).isZero();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                HaTestCluster.job(leader, job)
                    .map(details -> details.status() == JobStatus.CANCELED)
                    .orElse(false));
  }

  private HttpResponse<String> send(JobManager jm, String method, String path, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + jm.restPort() + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }
}

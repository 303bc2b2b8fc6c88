package io.baton.coordinator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.coordinator.rest.TestHttp.Response;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Flink's REST client (its CLI) sees: every route under {@code /v1/} too, and a standby that
 * passes those requests on to the leader, while Baton's own unprefixed calls still get the
 * standby's {@code {"leader": false}}.
 */
class FlinkClientRoutesTest {
  @TempDir Path dir;

  private final List<RestServer> servers = new ArrayList<>();

  @AfterEach
  void stopServers() {
    servers.forEach(RestServer::close);
  }

  @Test
  void everyRouteAnswersUnderV1AsWithout() {
    FakeDispatcher dispatcher = new FakeDispatcher();
    JobDetails job = RestFixtures.job(JobStatus.RUNNING, null);
    dispatcher.addJob(job);
    TestHttp http = new TestHttp(start(dispatcher, null).port());

    for (String path :
        List.of("/overview", "/config", "/jobs/overview", "/jobs/" + job.id().value())) {
      Response plain = http.get(path);
      Response prefixed = http.get("/v1" + path);
      assertThat(prefixed.status()).as(path).isEqualTo(200);
      assertThat(prefixed.json()).as(path).isEqualTo(plain.json());
    }
    assertThat(http.patch("/v1/jobs/" + job.id().value() + "?mode=cancel").status()).isEqualTo(202);
    assertThat(dispatcher.status(job.id())).isEqualTo(JobStatus.CANCELED);

    Response unknown = http.get("/v1/no-such-thing");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.error()).isEqualTo("no such endpoint: GET /no-such-thing");
    // a path that only starts with the letters of the prefix is no prefixed path
    assertThat(http.get("/v1overview").status()).isEqualTo(404);
  }

  @Test
  void aStandbyPassesFlinkClientRequestsOnToTheLeader() {
    FakeDispatcher leaderDispatcher = new FakeDispatcher();
    JobDetails job = RestFixtures.job(JobStatus.RUNNING, null);
    leaderDispatcher.addJob(job);
    RestServer leader = start(leaderDispatcher, null);
    String leaderUrl = "http://127.0.0.1:" + leader.port();
    TestHttp standby =
        new TestHttp(
            start(new FakeDispatcher(), standbyOf(new AtomicReference<>(leaderUrl))).port());

    Response list = standby.get("/v1/jobs/overview");
    assertThat(list.status()).as(list.body()).isEqualTo(200);
    assertThat(list.json().get("jobs").get(0).get("jid").asText()).isEqualTo(job.id().value());

    Response cancel = standby.patch("/v1/jobs/" + job.id().value() + "?mode=cancel");
    assertThat(cancel.status()).as(cancel.body()).isEqualTo(202);
    assertThat(leaderDispatcher.status(job.id())).isEqualTo(JobStatus.CANCELED);

    Response notFound = standby.get("/v1/jobs/0123456789abcdef0123456789abcdef");
    assertThat(notFound.status()).isEqualTo(404);
    assertThat(notFound.error()).contains("not found");

    // Baton's own tools keep the standby's answer naming the leader
    Response own = standby.get("/jobs/overview");
    assertThat(own.status()).isEqualTo(200);
    assertThat(own.json().get("leader").asBoolean()).isFalse();
    assertThat(own.json().get("leaderRestUrl").asText()).isEqualTo(leaderUrl);
  }

  @Test
  void withoutAReachableLeaderAStandbyAnswersFlinkClientsA503TheyRetryOn() {
    AtomicReference<String> leaderUrl = new AtomicReference<>(null);
    RestServer standbyServer = start(new FakeDispatcher(), standbyOf(leaderUrl));
    TestHttp standby = new TestHttp(standbyServer.port());

    Response noLeader = standby.get("/v1/jobs/overview");
    assertThat(noLeader.status()).isEqualTo(503);
    assertThat(noLeader.error()).contains("no leader is elected");

    // a stale leader address naming this very standby: no request goes round in circles
    leaderUrl.set("http://127.0.0.1:" + standbyServer.port());
    Response loop = standby.get("/v1/jobs/overview");
    assertThat(loop.status()).isEqualTo(503);
    assertThat(loop.error()).contains("took it for the leader");

    leaderUrl.set("http://127.0.0.1:1");
    Response unreachable = standby.get("/v1/jobs/overview");
    assertThat(unreachable.status()).isEqualTo(503);
    assertThat(unreachable.error()).contains("did not answer GET /v1/jobs/overview");
  }

  private static HaStatus.Source standbyOf(AtomicReference<String> leaderUrl) {
    return RestFixtures.standbyOf(leaderUrl::get);
  }

  private RestServer start(FakeDispatcher dispatcher, HaStatus.Source ha) {
    RestServer server =
        RestFixtures.server(
            RestFixtures.configuration(), dispatcher, dir.resolve("blobs-" + servers.size()), ha);
    servers.add(server);
    server.start();
    return server;
  }
}

package io.baton.coordinator.ha;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.common.security.TokenDigest;
import io.baton.coordinator.JobManagerTestCluster;
import io.baton.coordinator.rest.TestHttp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JobManager without high availability leads at once, alone, and says so. */
class StandaloneLeadershipTest {
  @TempDir Path dir;

  @Test
  void getHaInModeNoneNamesThisJobManagerAsTheOnlyContenderAndLeader() throws Exception {
    try (JobManagerTestCluster cluster =
        new JobManagerTestCluster(dir, Map.of("rest.address", "127.0.0.1"), true)) {
      int port = cluster.jobManager.restPort();
      TestHttp http = new TestHttp(port);

      TestHttp.Response response = http.get("/ha");

      assertThat(response.status()).isEqualTo(200);
      JsonNode ha = response.json();
      String id = "127.0.0.1:" + port;
      List<String> fields = new ArrayList<>();
      ha.fieldNames().forEachRemaining(fields::add);
      assertThat(fields)
          .containsExactlyInAnyOrder(
              "mode",
              "leader",
              "id",
              "leaderId",
              "leaderAddress",
              "leaderRestUrl",
              "leaderTokenDigest",
              "leaderSince",
              "contenders");
      assertThat(ha.get("mode").asText()).isEqualTo("none");
      assertThat(ha.get("leader").asBoolean()).isTrue();
      assertThat(ha.get("id").asText()).isEqualTo(id);
      assertThat(ha.get("leaderId").asText()).isEqualTo(id);
      assertThat(ha.get("leaderRestUrl").asText()).isEqualTo("http://" + id);
      assertThat(ha.get("leaderTokenDigest").asText())
          .isEqualTo(TokenDigest.of(cluster.jobManager.fencingToken()))
          .hasSize(12);
      assertThat(ha.toString()).doesNotContain(cluster.jobManager.fencingToken());
      assertThat(ha.get("leaderSince").asLong()).isPositive();
      assertThat(ha.get("contenders")).hasSize(1);
      assertThat(ha.get("contenders").get(0).asText()).isEqualTo(id);
      assertThat(http.get("/metrics").body()).contains("baton_jobmanager_leader 1.0");
    }
  }
}

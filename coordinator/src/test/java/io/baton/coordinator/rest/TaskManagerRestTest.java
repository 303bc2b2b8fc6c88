package io.baton.coordinator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.coordinator.rest.TestHttp.Response;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /taskmanagers/{id}} in Flink's shape, its metrics, and what it does not serve. */
class TaskManagerRestTest {
  @TempDir Path dir;

  private final FakeDispatcher dispatcher = new FakeDispatcher();
  private RestServer server;
  private TestHttp http;

  @BeforeEach
  void startServer() {
    dispatcher.addTaskManager(RestFixtures.taskManager("tm-1", 4, 1));
    server = RestFixtures.server(RestFixtures.configuration(), dispatcher, dir, null);
    server.start();
    http = new TestHttp(server.port());
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void detailsHaveFlinksFieldsFromTheHeartbeats() {
    JsonNode tm = http.get("/v1/taskmanagers/tm-1").json();

    assertThat(tm.get("id").asText()).isEqualTo("tm-1");
    assertThat(tm.get("slotsNumber").asInt()).isEqualTo(4);
    assertThat(tm.get("freeSlots").asInt()).isEqualTo(1);
    assertThat(tm.get("metrics").get("heapUsed").asLong()).isEqualTo(256);
    assertThat(tm.get("metrics").get("heapMax").asLong()).isEqualTo(1024);
    assertThat(tm.get("memoryConfiguration").get("taskHeap").asLong()).isEqualTo(1024);
    assertThat(tm.get("allocatedSlots").isArray()).isTrue();
    assertThat(tm.get("totalResource").get("cpuCores").asDouble()).isEqualTo(8.0);

    JsonNode heap = http.get("/taskmanagers/tm-1/metrics?get=Status.JVM.Memory.Heap.Used").json();
    assertThat(heap.get(0).get("value").asText()).isEqualTo("256");
  }

  @Test
  void logsAndThreadDumpsSayInOneLineWhereToReadThem() {
    for (String page : new String[] {"logs", "log", "stdout", "thread-dump"}) {
      Response r = http.get("/taskmanagers/tm-1/" + page);
      assertThat(r.status()).as(page).isEqualTo(404);
      assertThat(r.error()).contains("does not pass on a TaskManager's " + page, "10.0.0.5:6124");
    }
  }

  @Test
  void unknownAndInvalidIdsAreOneLineErrors() {
    Response unknown = http.get("/taskmanagers/tm-9");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.error()).isEqualTo("no TaskManager tm-9 is registered");
    Response invalid = http.get("/taskmanagers/tm%20%3Cx%3E");
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.error()).startsWith("invalid TaskManager id");
  }

  @Test
  void aFlinkJobGraphIsRefusedWithOneLine() {
    Response r = http.post("/v1/jobs", "{}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error()).startsWith("Baton runs Baton jobs, not Flink job graphs");
  }
}

package io.baton.coordinator.ha;

import static org.awaitility.Awaitility.await;

import io.baton.common.config.Configuration;
import io.baton.common.ids.JobId;
import io.baton.coordinator.FakeTaskManager;
import io.baton.coordinator.JobManager;
import io.baton.coordinator.RestEndpoint;
import io.baton.coordinator.TempDirBlobStore;
import io.baton.coordinator.status.JobDetails;
import io.baton.ha.LeaderStores;
import io.baton.ha.factory.HighAvailabilityServicesFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;

/**
 * JobManagers in high-availability mode on a real ZooKeeper server, sharing one set of HA stores
 * (as the ZooKeeper stores would be shared), each with its own jar directory and fake TaskManagers.
 */
public final class HaTestCluster implements AutoCloseable {
  final TestingServer zooKeeper;
  final LeaderStores stores = HighAvailabilityServicesFactory.inMemoryStores();
  private final Path dir;
  private final Map<String, String> settings;
  private final List<JobManager> jobManagers = new CopyOnWriteArrayList<>();
  private final Map<JobManager, List<FakeTaskManager>> taskManagers = new ConcurrentHashMap<>();
  private final Set<String> snapshotted = ConcurrentHashMap.newKeySet();

  public HaTestCluster(Path dir, Map<String, String> extraSettings) throws Exception {
    this.dir = dir;
    this.zooKeeper = new TestingServer(true);
    Map<String, String> values = new HashMap<>();
    values.put("high-availability.type", "zookeeper");
    values.put("high-availability.zookeeper.quorum", zooKeeper.getConnectString());
    values.put("high-availability.cluster-id", "test-" + UUID.randomUUID());
    values.put(
        "high-availability.storageDir",
        Files.createDirectories(dir.resolve("ha")).toUri().toString());
    values.put("high-availability.zookeeper.client.session-timeout", "10 s");
    values.put("high-availability.zookeeper.client.connection-timeout", "5 s");
    values.put("jobmanager.rpc.address", "127.0.0.1");
    values.put("jobmanager.bind-host", "127.0.0.1");
    values.put("jobmanager.rpc.port", "0");
    values.put("rest.address", "127.0.0.1");
    values.put("rest.bind-address", "127.0.0.1");
    values.put("rest.port", "0");
    values.put("heartbeat.interval", "100 ms");
    values.put("heartbeat.timeout", "10 s");
    values.put("slot.request.timeout", "20 s");
    values.put("task.cancellation.timeout", "2 s");
    // the fake TaskManagers of a stopped JobManager never re-register with its successor, which
    // would wait the default 10 s for their reports before it restores the job from its checkpoint
    values.put("jobmanager.reconciliation.timeout", "1 s");
    values.putAll(extraSettings);
    this.settings = values;
  }

  /** Starts a JobManager that contends for leadership. */
  public JobManager startJobManager() throws Exception {
    Path blobs = Files.createTempDirectory(dir, "jars");
    JobManager jm =
        JobManager.builder(Configuration.fromMap(settings), new TempDirBlobStore(blobs))
            .restEndpoint(RestEndpoint.restServer())
            .rpcTimeout(Duration.ofSeconds(2))
            .leaderStores((election, sessionId) -> stores)
            .start();
    jobManagers.add(jm);
    taskManagers.put(jm, new CopyOnWriteArrayList<>());
    return jm;
  }

  public JobManager awaitLeader() {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> jobManagers.stream().anyMatch(JobManager::isLeader));
    return jobManagers.stream().filter(JobManager::isLeader).findFirst().orElseThrow();
  }

  /**
   * A fake TaskManager registered with {@code jm} whose tasks run until cancelled; checkpoints
   * triggered at any fake of that JobManager reach the tasks of all of them.
   */
  public FakeTaskManager addTaskManager(JobManager jm, int slots) throws Exception {
    FakeTaskManager tm = new FakeTaskManager(jm.rpcPort());
    List<FakeTaskManager> fellows = taskManagers.get(jm);
    tm.onTrigger(
        trigger -> {
          if (snapshotted.add(trigger.getJobId() + "/" + trigger.getCheckpointId())) {
            fellows.forEach(t -> t.snapshot(trigger));
          }
        });
    tm.behave(r -> FakeTaskManager.Behavior.RUN);
    fellows.add(tm);
    tm.register(slots, 100);
    return tm;
  }

  List<FakeTaskManager> taskManagersOf(JobManager jm) {
    return taskManagers.get(jm);
  }

  public static Optional<JobDetails> job(JobManager jm, JobId id) {
    try {
      return jm.dispatcher().requestJob(id).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /** Stops a JobManager gracefully (as SIGTERM does) and its TaskManagers. */
  void stop(JobManager jm) {
    jm.close();
    jobManagers.remove(jm);
    taskManagers.getOrDefault(jm, List.of()).forEach(FakeTaskManager::close);
  }

  @Override
  public void close() throws Exception {
    for (JobManager jm : new ArrayList<>(jobManagers)) {
      stop(jm);
    }
    zooKeeper.close();
  }
}

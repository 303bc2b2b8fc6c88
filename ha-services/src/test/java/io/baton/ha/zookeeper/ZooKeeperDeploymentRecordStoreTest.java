package io.baton.ha.zookeeper;

import static io.baton.ha.zookeeper.TestLeader.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.baton.common.config.Configuration;
import io.baton.common.ids.AllocationId;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import io.baton.ha.DeploymentRecord;
import io.baton.ha.DeploymentRecord.RecordedExecution;
import io.baton.ha.DeploymentRecordStore;
import io.baton.ha.LeaderStores;
import io.baton.ha.LeadershipLostException;
import io.baton.storage.FileStores;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The deployment records against a real ZooKeeper server, files on local disk. */
class ZooKeeperDeploymentRecordStoreTest {
  @RegisterExtension
  static final ZooKeeperServerExtension zooKeeper = new ZooKeeperServerExtension();

  @TempDir Path storage;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final FileStores fileStores = new FileStores(new Configuration());
  private String cluster;
  private CuratorFramework observer;

  @BeforeEach
  void setUp() {
    cluster = "/baton/c-" + UUID.randomUUID();
    observer = zooKeeper.newClient();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    fileStores.close();
  }

  @Test
  void aRecordIsWrittenFileFirstReadBackReplacedAndRemovedWithTheJob() throws Exception {
    LeaderStores stores = leader("jm-1:8081").stores();
    DeploymentRecordStore records = stores.deploymentRecordStore();
    JobId job = JobId.random();
    DeploymentRecord first = record(job, 0, 2);
    DeploymentRecord second = record(job, 1, 2);

    assertThat(records.get(job)).isEmpty();
    records.put(first);
    assertThat(records.get(job)).contains(first);
    String firstFile = pointerTarget(job);
    assertThat(Path.of(URI.create(firstFile))).exists();

    records.put(second);
    assertThat(records.get(job)).contains(second);
    assertThat(Path.of(URI.create(firstFile))).as("the replaced record's file").doesNotExist();
    assertThat(filesIn()).hasSize(1);

    stores.releaseJob(job);
    assertThat(records.get(job)).isEmpty();
    assertThat(observer.checkExists().forPath(cluster + "/deployments/" + job)).isNull();
    assertThat(filesIn()).isEmpty();
  }

  @Test
  void aDeposedLeaderCannotWriteOrRemoveTheNewLeadersRecord() throws Exception {
    TestLeader first = leader("jm-1:8081");
    DeploymentRecordStore deposed = first.stores().deploymentRecordStore();
    JobId job = JobId.random();
    deposed.put(record(job, 0, 1));
    TestLeader second = contend("jm-2:8081");

    first.client.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
    DeploymentRecordStore current = second.stores().deploymentRecordStore();
    DeploymentRecord adopted = record(job, 3, 1);
    current.put(adopted);

    assertThatThrownBy(() -> deposed.put(record(job, 1, 1)))
        .isInstanceOf(LeadershipLostException.class);
    assertThatThrownBy(() -> deposed.remove(job)).isInstanceOf(LeadershipLostException.class);
    assertThat(current.get(job)).contains(adopted);
    assertThat(deposed.get(job)).as("reads are not fenced").contains(adopted);
    assertThat(filesIn()).as("the refused write left no file behind").hasSize(1);
  }

  @Test
  void aGarbledRecordIsReadAsNoRecordWithAWarningNamingItsNode() throws Exception {
    DeploymentRecordStore records = leader("jm-1:8081").stores().deploymentRecordStore();
    JobId garbledFile = JobId.random();
    JobId garbledPointer = JobId.random();
    JobId otherJobsRecord = JobId.random();
    JobId outsideStorage = JobId.random();
    JobId mislabelled = JobId.random();
    records.put(record(garbledFile, 0, 2));
    Files.writeString(Path.of(URI.create(pointerTarget(garbledFile))), "{\"version\":1,\"jobId\"");
    observer
        .create()
        .creatingParentsIfNeeded()
        .forPath(cluster + "/deployments/" + garbledPointer, bytes("\u0000garbage"));
    DeploymentRecord intact = record(otherJobsRecord, 0, 1);
    records.put(intact);
    observer
        .create()
        .forPath(cluster + "/deployments/" + mislabelled, bytes(pointerTarget(otherJobsRecord)));
    observer
        .create()
        .forPath(cluster + "/deployments/" + outsideStorage, bytes("file:///etc/hosts"));

    try (LogRecorder log = LogRecorder.of(ZooKeeperDeploymentRecordStore.class)) {
      assertThat(records.get(garbledFile)).isEmpty();
      assertThat(records.get(garbledPointer)).isEmpty();
      assertThat(records.get(outsideStorage)).isEmpty();
      assertThat(records.get(mislabelled)).isEmpty();

      List<String> warnings = log.at(Level.WARN);
      assertThat(warnings)
          .anySatisfy(w -> assertThat(w).contains(cluster + "/deployments/" + garbledFile))
          .anySatisfy(
              w ->
                  assertThat(w)
                      .contains(cluster + "/deployments/" + garbledPointer)
                      .contains("not a file URI"))
          .anySatisfy(
              w ->
                  assertThat(w)
                      .contains(cluster + "/deployments/" + outsideStorage)
                      .contains("/etc/hosts"))
          .anySatisfy(
              w ->
                  assertThat(w)
                      .contains(cluster + "/deployments/" + mislabelled)
                      .contains("records job " + otherJobsRecord))
          .allSatisfy(w -> assertThat(w).contains("not adopted"));
    }
    assertThat(records.get(otherJobsRecord)).contains(intact);
    assertThat(Path.of("/etc/hosts")).exists();
  }

  @Test
  void theWritingLeadersDigestAndTheAdoptionCountAreKeptAndAForgedLeaderIsRefused()
      throws Exception {
    DeploymentRecordStore records = leader("jm-1:8081").stores().deploymentRecordStore();
    JobId signed = JobId.random();
    JobId unsigned = JobId.random();
    JobId forged = JobId.random();
    DeploymentRecord adopted = record(signed, 2, 2).writtenBy("0123456789ab", 3);
    records.put(adopted);
    records.put(record(unsigned, 0, 1));
    records.put(record(forged, 0, 1));
    Path forgedFile = Path.of(URI.create(pointerTarget(forged)));
    Files.writeString(
        forgedFile,
        Files.readString(forgedFile).replace("\"leader\":\"\"", "\"leader\":\"\\u001b[2Jx\""));

    assertThat(records.get(signed)).contains(adopted);
    assertThat(records.get(signed).orElseThrow().describeLeader()).isEqualTo("leader 0123456789ab");
    assertThat(records.get(unsigned).orElseThrow().describeLeader())
        .isEqualTo("an unrecorded leader");
    assertThat(records.get(unsigned).orElseThrow().reconciliations()).isZero();
    try (LogRecorder log = LogRecorder.of(ZooKeeperDeploymentRecordStore.class)) {
      assertThat(records.get(forged)).isEmpty();
      assertThat(log.at(Level.WARN))
          .singleElement()
          .satisfies(
              w ->
                  assertThat(w)
                      .contains(cluster + "/deployments/" + forged)
                      .contains("the leader is not a token digest"));
    }
  }

  private static DeploymentRecord record(JobId job, int attempt, int subtasks) {
    List<RecordedExecution> executions = new ArrayList<>();
    for (int i = 0; i < subtasks; i++) {
      executions.add(
          new RecordedExecution(
              1,
              i,
              ExecutionId.random(),
              attempt,
              TaskManagerId.random(),
              AllocationId.random(),
              i,
              1_700_000_000_000L + i));
    }
    return new DeploymentRecord(job, attempt, executions);
  }

  private TestLeader contend(String id) throws Exception {
    TestLeader leader =
        TestLeader.contend(zooKeeper.connectString(), cluster, id, fileStores, storage.toUri());
    toClose.add(leader);
    return leader;
  }

  private TestLeader leader(String id) throws Exception {
    TestLeader leader = contend(id);
    await().atMost(TIMEOUT).until(() -> leader.session != null);
    return leader;
  }

  private String pointerTarget(JobId job) throws Exception {
    return new String(
        observer.getData().forPath(cluster + "/deployments/" + job), StandardCharsets.UTF_8);
  }

  private List<Path> filesIn() throws Exception {
    Path dir =
        Files.createDirectories(
            storage
                .resolve(cluster.substring(cluster.lastIndexOf('/') + 1))
                .resolve("deployments"));
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

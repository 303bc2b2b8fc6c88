package io.baton.ha.zookeeper;

import static io.baton.ha.zookeeper.TestLeader.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.baton.common.config.Configuration;
import io.baton.common.ids.JobId;
import io.baton.ha.CheckpointIdCounter;
import io.baton.ha.CheckpointPointer;
import io.baton.ha.CompletedCheckpointStore;
import io.baton.ha.JobGraphStore;
import io.baton.ha.JobJarStore;
import io.baton.ha.JobResult;
import io.baton.ha.JobResultStore;
import io.baton.ha.LeaderStores;
import io.baton.ha.LeadershipLostException;
import io.baton.ha.StoredCheckpoint;
import io.baton.storage.FileStores;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The HA stores against a real ZooKeeper server, with the storage directory on local disk. */
class ZooKeeperHaStoresTest {
  @RegisterExtension
  static final ZooKeeperServerExtension zooKeeper = new ZooKeeperServerExtension();

  @TempDir Path storage;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final FileStores fileStores = new FileStores(new Configuration());
  private String cluster;
  private URI storageDir;
  private CuratorFramework observer;

  @BeforeEach
  void setUp() {
    cluster = "/baton/c-" + UUID.randomUUID();
    storageDir = storage.toUri();
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
  void jobGraphsAreAddedReadListedReplacedAndRemoved() throws Exception {
    LeaderStores stores = leader("jm-1:8081").stores();
    JobGraphStore graphs = stores.jobGraphStore();
    JobId a = JobId.random();
    JobId b = JobId.random();

    graphs.put(a, bytes("graph a"));
    graphs.put(b, bytes("graph b"));
    graphs.put(a, bytes("graph a, resubmitted"));

    assertThat(graphs.jobIds()).containsExactlyInAnyOrder(a, b);
    assertThat(text(graphs.get(a))).isEqualTo("graph a, resubmitted");
    assertThat(text(graphs.get(b))).isEqualTo("graph b");
    assertThat(pointerTarget("jobgraphs/" + a))
        .startsWith(storageDir.resolve(clusterId() + "/jobgraphs/").toString());
    // The replaced version's file is gone: one file per entry.
    assertThat(filesIn("jobgraphs")).hasSize(2);

    graphs.remove(a);
    graphs.remove(a);
    assertThat(graphs.jobIds()).containsExactly(b);
    assertThat(graphs.get(a)).isEmpty();
    assertThat(filesIn("jobgraphs")).hasSize(1);
  }

  @Test
  void jobResultsRoundTripAsJson() throws Exception {
    JobResultStore results = leader("jm-1:8081").stores().jobResultStore();
    JobResult finished =
        new JobResult(JobId.random(), "Ledger", "FINISHED", 1_000, 2_000, Optional.empty());
    JobResult failed =
        new JobResult(
            JobId.random(), "WordCount", "FAILED", 3_000, 4_000, Optional.of("boom in map"));

    results.put(finished);
    results.put(failed);

    assertThat(results.get(finished.jobId())).contains(finished);
    assertThat(results.get(failed.jobId())).contains(failed);
    assertThat(results.get(JobId.random())).isEmpty();
    assertThat(results.all()).containsExactlyInAnyOrder(finished, failed);
    String file =
        Files.readString(Path.of(URI.create(pointerTarget("job-results/" + failed.jobId()))));
    assertThat(file).contains("\"failureCause\":\"boom in map\"").contains("\"status\":\"FAILED\"");
  }

  @Test
  void jobJarsAreCopiedInAndOut() throws Exception {
    JobJarStore jars = leader("jm-1:8081").stores().jobJarStore();
    Path jar = Files.write(storage.resolve("job.jar"), bytes("jar bytes"));
    Path other = Files.write(storage.resolve("other.jar"), bytes("other bytes"));

    jars.put("abc123", jar);
    jars.put("abc123", other); // an existing key stays

    assertThat(jars.contains("abc123")).isTrue();
    assertThat(jars.contains("nope")).isFalse();
    assertThat(jars.keys()).containsExactly("abc123");
    Path copy = storage.resolve("copy.jar");
    jars.copyTo("abc123", copy);
    assertThat(Files.readString(copy)).isEqualTo("jar bytes");
    assertThatThrownBy(() -> jars.copyTo("nope", copy))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("nope")
        .hasMessageContaining(cluster + "/blobs/nope");

    jars.delete("abc123");
    assertThat(jars.keys()).isEmpty();
    assertThat(filesIn("blobs")).isEmpty();
  }

  @Test
  void completedCheckpointsAreOrderedByIdAndWithdrawnPointerFirst() throws Exception {
    LeaderStores stores = leader("jm-1:8081").stores();
    JobId job = JobId.random();
    CompletedCheckpointStore checkpoints = stores.completedCheckpointStore(job);
    assertThat(stores.completedCheckpointStore(job)).isSameAs(checkpoints);
    assertThat(checkpoints.latest()).isEmpty();

    // Ids whose decimal strings sort differently from their numbers.
    for (long id : new long[] {9, 10, 2}) {
      checkpoints.add(checkpoint(job, id));
    }

    assertThat(checkpoints.all())
        .extracting(CheckpointPointer::checkpointId)
        .containsExactly(2L, 9L, 10L);
    assertThat(checkpoints.latest()).contains(checkpoint(job, 10));
    assertThat(observer.getChildren().forPath(cluster + "/checkpoints/" + job))
        .contains("0000000000000000010");

    assertThat(checkpoints.remove(2)).isTrue();
    assertThat(checkpoints.remove(2)).isFalse();
    assertThat(checkpoints.all())
        .extracting(CheckpointPointer::checkpointId)
        .containsExactly(9L, 10L);
    assertThat(filesIn("checkpoints")).hasSize(2);
  }

  @Test
  void checkpointPointersKeepTheirHistoryFiguresAndOlderPointersReadBackWithout() throws Exception {
    LeaderStores stores = leader("jm-1:8081").stores();
    JobId job = JobId.random();
    CompletedCheckpointStore checkpoints = stores.completedCheckpointStore(job);
    checkpoints.add(checkpoint(job, 7));
    checkpoints.add(checkpoint(job, 8));
    // A pointer file as written before the history figures existed.
    Files.writeString(
        Path.of(URI.create(pointerTarget("checkpoints/" + job + "/0000000000000000007"))),
        "{\"checkpointId\":7,\"directory\":\"file:///old/chk-7\",\"savepoint\":false,"
            + "\"completionTimestamp\":1007}");

    CheckpointPointer newer = checkpoints.latest().orElseThrow();
    assertThat(newer.stateSize()).isEqualTo(4096 * 8);
    assertThat(newer.numSubtasks()).isEqualTo(4);
    assertThat(newer.duration()).isEqualTo(100);
    assertThat(checkpoints.all())
        .first()
        .isEqualTo(new CheckpointPointer(7, "file:///old/chk-7", false, 1007))
        .extracting(CheckpointPointer::duration)
        .isEqualTo(0L);
  }

  @Test
  void counterOnlyMovesForwardAndSurvivesANewClient() throws Exception {
    JobId job = JobId.random();
    TestLeader first = leader("jm-1:8081");
    CheckpointIdCounter counter = first.stores().checkpointIdCounter(job);
    counter.start();
    counter.start();

    assertThat(counter.get()).isEqualTo(1);
    assertThat(counter.getAndIncrement()).isEqualTo(1);
    assertThat(counter.getAndIncrement()).isEqualTo(2);
    counter.setCount(10);
    counter.setCount(4); // backwards: ignored
    assertThat(counter.get()).isEqualTo(10);
    assertThat(counter.getAndIncrement()).isEqualTo(10);

    first.close();
    TestLeader second = leader("jm-2:8081");
    CheckpointIdCounter recovered = second.stores().checkpointIdCounter(job);
    recovered.start();
    assertThat(recovered.get()).isEqualTo(11);
    assertThat(recovered.getAndIncrement()).isEqualTo(11);
  }

  @Test
  void twoCountersOnOneNodeHandOutEveryIdOnce() throws Exception {
    TestLeader leader = leader("jm-1:8081");
    JobId job = JobId.random();
    // Two store instances of one session: each writes behind the other's cached value.
    CheckpointIdCounter a = leader.stores().checkpointIdCounter(job);
    CheckpointIdCounter b = leader.stores().checkpointIdCounter(job);

    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ids.add(a.getAndIncrement());
      ids.add(b.getAndIncrement());
    }

    assertThat(ids).isEqualTo(java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList());
    b.setCount(15); // behind: ignored
    // The other instance's writes reach a's reads through the SharedCount's watch.
    await().atMost(TIMEOUT).until(() -> a.get() == 21);
    assertThat(b.get()).isEqualTo(21);
  }

  @Test
  void deposedLeadersWritesFailWhileTheNewLeadersSucceed() throws Exception {
    TestLeader first = leader("jm-1:8081");
    LeaderStores deposed = first.stores();
    JobId job = JobId.random();
    deposed.jobGraphStore().put(job, bytes("v1"));
    CheckpointIdCounter deposedCounter = deposed.checkpointIdCounter(job);
    deposedCounter.getAndIncrement();
    String oldLatchNode = ((ZooKeeperLeaderStores) deposed).fencingLatchNode();
    TestLeader second = contend("jm-2:8081");

    first.client.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
    LeaderStores current = second.stores();
    // The deposed contender's latch comes back with a new node; the old one stays gone.
    await()
        .atMost(TIMEOUT)
        .until(() -> second.election.contenders().containsAll(List.of("jm-1:8081", "jm-2:8081")));

    for (ThrowingWrite write :
        List.<ThrowingWrite>of(
            () -> deposed.jobGraphStore().put(job, bytes("v2 from the deposed leader")),
            () -> deposed.jobGraphStore().remove(job),
            () -> deposed.completedCheckpointStore(job).add(checkpoint(job, 7)),
            () -> deposedCounter.getAndIncrement(),
            () -> deposed.jobResultStore().put(result(job)),
            () -> deposed.jobJarStore().put("k", Files.write(storage.resolve("j"), bytes("j"))))) {
      assertThatThrownBy(write::run)
          .isInstanceOf(LeadershipLostException.class)
          .hasMessageContaining(oldLatchNode);
    }

    current.jobGraphStore().put(job, bytes("v2"));
    current.completedCheckpointStore(job).add(checkpoint(job, 7));
    current.checkpointIdCounter(job).setCount(8);
    assertThat(text(current.jobGraphStore().get(job))).isEqualTo("v2");
    assertThat(current.completedCheckpointStore(job).all()).containsExactly(checkpoint(job, 7));
    assertThat(current.checkpointIdCounter(job).getAndIncrement()).isEqualTo(8);
    assertThat(current.jobResultStore().all()).isEmpty();
    assertThat(current.jobJarStore().keys()).isEmpty();
    // Nothing the deposed leader tried left a file behind.
    assertThat(filesIn("jobgraphs")).hasSize(1);
    assertThat(filesIn("job-results")).isEmpty();
  }

  @Test
  void closingTheElectionFencesItsStoresAndOldSessionsGetNoStores() throws Exception {
    TestLeader first = leader("jm-1:8081");
    LeaderStores stores = first.stores();
    UUID session = first.session;

    first.election.close();

    assertThatThrownBy(() -> stores.jobGraphStore().put(JobId.random(), bytes("x")))
        .isInstanceOf(LeadershipLostException.class);
    assertThatThrownBy(
            () -> first.services.leaderStores(first.election, session, fileStores, storageDir))
        .isInstanceOf(LeadershipLostException.class)
        .hasMessageContaining(session.toString());
  }

  @Test
  void contendersAreListedByTheirIds() throws Exception {
    TestLeader first = leader("jm-1:8081");
    contend("jm-2:8082");

    await().atMost(TIMEOUT).until(() -> first.election.contenders().size() == 2);
    assertThat(first.election.contenders()).containsExactlyInAnyOrder("jm-1:8081", "jm-2:8082");
  }

  @Test
  void fileWithoutPointerIsRemovedAndPointerWithoutFileIsReportedByPath() throws Exception {
    LeaderStores stores = leader("jm-1:8081").stores();
    JobId kept = JobId.random();
    JobId broken = JobId.random();
    stores.jobGraphStore().put(kept, bytes("kept"));
    stores.jobGraphStore().put(broken, bytes("broken"));
    stores.completedCheckpointStore(kept).add(checkpoint(kept, 1));
    // A crash between writing a file and creating its pointer...
    Path orphan =
        Files.writeString(kindDir("jobgraphs").resolve("orphan-" + UUID.randomUUID()), "x");
    Path orphanCheckpoint =
        Files.writeString(kindDir("checkpoints").resolve(kept + "-0000000000000000002-x"), "{}");
    // ...and one between removing a file and its pointer (the wrong order, done by hand).
    String brokenTarget = pointerTarget("jobgraphs/" + broken);
    Files.delete(Path.of(URI.create(brokenTarget)));

    stores.removeUnreferencedFiles();

    assertThat(orphan).doesNotExist();
    assertThat(orphanCheckpoint).doesNotExist();
    assertThat(filesIn("jobgraphs")).hasSize(1);
    assertThat(filesIn("checkpoints")).hasSize(1);
    assertThatThrownBy(() -> stores.jobGraphStore().get(broken))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(cluster + "/jobgraphs/" + broken)
        .hasMessageContaining(brokenTarget)
        .hasMessageContaining("gone");
    assertThat(text(stores.jobGraphStore().get(kept))).isEqualTo("kept");
    assertThat(stores.completedCheckpointStore(kept).latest()).contains(checkpoint(kept, 1));
    assertThat(stores.jobGraphStore().jobIds()).containsExactlyInAnyOrder(kept, broken);
    // The broken entry can still be removed.
    stores.jobGraphStore().remove(broken);
    assertThat(stores.jobGraphStore().jobIds()).containsExactly(kept);
  }

  @Test
  void garbledPointersAndFilesAreIOExceptionsNamingThePathAndForeignChildrenAreSkipped()
      throws Exception {
    LeaderStores stores = leader("jm-1:8081").stores();
    JobId job = JobId.random();
    JobId garbledPointer = JobId.random();
    stores.jobResultStore().put(result(job));
    stores.completedCheckpointStore(job).add(checkpoint(job, 3));
    Files.writeString(Path.of(URI.create(pointerTarget("job-results/" + job))), "{not json");
    observer
        .create()
        .creatingParentsIfNeeded()
        .forPath(cluster + "/jobgraphs/" + garbledPointer, bytes("\u0000garbage"));
    observer.create().forPath(cluster + "/jobgraphs/not-a-job-id", bytes("file:///x"));
    observer.create().forPath(cluster + "/checkpoints/" + job + "/latest", bytes("file:///x"));

    assertThatThrownBy(() -> stores.jobResultStore().get(job))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(cluster + "/job-results/" + job)
        .hasMessageContaining(pointerTarget("job-results/" + job));
    assertThat(stores.jobResultStore().all()).isEmpty();
    assertThatThrownBy(() -> stores.jobGraphStore().get(garbledPointer))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(cluster + "/jobgraphs/" + garbledPointer)
        .hasMessageContaining("not a file URI");
    assertThat(stores.jobGraphStore().jobIds()).containsExactly(garbledPointer);
    assertThat(stores.completedCheckpointStore(job).all()).containsExactly(checkpoint(job, 3));
    JobId garbledCounter = JobId.random();
    observer
        .create()
        .creatingParentsIfNeeded()
        .forPath(cluster + "/checkpoint-counter/" + garbledCounter, bytes("x"));
    assertThatThrownBy(() -> stores.checkpointIdCounter(garbledCounter).getAndIncrement())
        .isInstanceOf(IOException.class)
        .hasMessageContaining(cluster + "/checkpoint-counter/" + garbledCounter);
  }

  @Test
  void aGarbledCheckpointPointerIsListedAsUnreadableAndRetainedPointersStillRead()
      throws Exception {
    LeaderStores stores = leader("jm-1:8081").stores();
    JobId job = JobId.random();
    CompletedCheckpointStore checkpoints = stores.completedCheckpointStore(job);
    checkpoints.add(checkpoint(job, 3));
    checkpoints.add(checkpoint(job, 4));
    String garbled = cluster + "/checkpoints/" + job + "/" + String.format("%019d", 4);
    observer.setData().forPath(garbled, bytes("not a pointer"));

    assertThatThrownBy(checkpoints::all)
        .isInstanceOf(IOException.class)
        .hasMessageContaining(garbled);
    List<StoredCheckpoint> listing = checkpoints.listing();

    assertThat(listing)
        .containsExactly(
            StoredCheckpoint.readable(
                checkpoint(job, 3),
                cluster + "/checkpoints/" + job + "/" + String.format("%019d", 3)),
            StoredCheckpoint.unreadable(
                4, garbled, "Pointer " + garbled + " holds 'not a pointer', not a file URI"));
    assertThat(checkpoints.remove(4)).as("a garbled pointer can still be withdrawn").isTrue();
    assertThat(checkpoints.all()).containsExactly(checkpoint(job, 3));
  }

  @Test
  void twoClusterIdsOnOneEnsembleAndOneStorageDirAreIsolated() throws Exception {
    LeaderStores x = leader("jm-x:8081").stores();
    String clusterX = cluster;
    cluster = "/baton/y-" + UUID.randomUUID();
    LeaderStores y = leader("jm-y:8081").stores();
    JobId job = JobId.random();

    x.jobGraphStore().put(job, bytes("x's job"));
    x.completedCheckpointStore(job).add(checkpoint(job, 1));
    y.jobGraphStore().put(JobId.random(), bytes("y's job"));
    y.removeUnreferencedFiles();

    assertThat(x.jobGraphStore().jobIds()).containsExactly(job);
    assertThat(text(x.jobGraphStore().get(job))).isEqualTo("x's job");
    assertThat(x.completedCheckpointStore(job).all()).hasSize(1);
    assertThat(y.jobGraphStore().jobIds()).doesNotContain(job).hasSize(1);
    assertThat(y.completedCheckpointStore(job).all()).isEmpty();
    assertThat(observer.checkExists().forPath(clusterX + "/jobgraphs/" + job)).isNotNull();
  }

  @Test
  void releaseJobRemovesItsCheckpointPointersAndCounter() throws Exception {
    LeaderStores stores = leader("jm-1:8081").stores();
    JobId released = JobId.random();
    JobId other = JobId.random();
    for (JobId job : List.of(released, other)) {
      stores.checkpointIdCounter(job).getAndIncrement();
      stores.completedCheckpointStore(job).add(checkpoint(job, 1));
      stores.completedCheckpointStore(job).add(checkpoint(job, 2));
    }

    stores.releaseJob(released);
    stores.releaseJob(released);

    assertThat(observer.checkExists().forPath(cluster + "/checkpoints/" + released)).isNull();
    assertThat(observer.checkExists().forPath(cluster + "/checkpoint-counter/" + released))
        .isNull();
    assertThat(stores.completedCheckpointStore(other).all()).hasSize(2);
    assertThat(stores.checkpointIdCounter(other).get()).isEqualTo(2);
    assertThat(filesIn("checkpoints")).hasSize(2);
  }

  @Test
  void oneCheckpointWithOneRetainedCostsFiveZooKeeperRequestsAsCuratorTracesThem()
      throws Exception {
    TestLeader leader = leader("jm-1:8081");
    LeaderStores stores = leader.stores();
    JobId job = JobId.random();
    CheckpointIdCounter counter = stores.checkpointIdCounter(job);
    CompletedCheckpointStore checkpoints = stores.completedCheckpointStore(job);
    // Warm up: the first checkpoint creates the job's nodes.
    long previous = counter.getAndIncrement();
    checkpoints.add(checkpoint(job, previous));
    await().atMost(TIMEOUT).until(() -> counter.get() == 2);
    awaitCountSettled(leader.services);

    // Every request the leader's client sends from here on (its latch is idle meanwhile).
    List<String> traced = new java.util.concurrent.CopyOnWriteArrayList<>();
    leader
        .client
        .getZookeeperClient()
        .setTracerDriver(
            new org.apache.curator.drivers.AdvancedTracerDriver() {
              @Override
              public void addTrace(org.apache.curator.drivers.OperationTrace trace) {
                traced.add(trace.getName() + " " + trace.getPath());
              }

              @Override
              public void addEvent(org.apache.curator.drivers.EventTrace trace) {}
            });
    for (int i = 0; i < 3; i++) {
      traced.clear();
      long before = leader.services.operationCount();
      long id = counter.getAndIncrement();
      checkpoints.add(checkpoint(job, id));
      checkpoints.remove(previous);
      previous = id;
      long settled = awaitCountSettled(leader.services);
      assertThat(settled - before).as("requests counted for checkpoint %d", id).isEqualTo(5);
      // Curator's own trace of the client agrees: the count misses nothing.
      assertThat(traced).as("requests Curator sent for checkpoint %d", id).hasSize(5);
    }
  }

  /** Waits for the SharedCount's background re-read to be counted; returns the settled count. */
  private static long awaitCountSettled(ZooKeeperHaServices services) {
    long[] last = {services.operationCount()};
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .during(Duration.ofMillis(300))
        .until(
            () -> {
              long now = services.operationCount();
              boolean same = now == last[0];
              last[0] = now;
              return same;
            });
    return last[0];
  }

  @FunctionalInterface
  private interface ThrowingWrite {
    void run() throws Exception;
  }

  private TestLeader contend(String id) throws Exception {
    TestLeader leader =
        TestLeader.contend(zooKeeper.connectString(), cluster, id, fileStores, storageDir);
    toClose.add(leader);
    return leader;
  }

  /** A contender that leads (the first of a cluster does at once). */
  private TestLeader leader(String id) throws Exception {
    TestLeader leader = contend(id);
    await().atMost(TIMEOUT).until(() -> leader.session != null);
    return leader;
  }

  private String clusterId() {
    return cluster.substring(cluster.lastIndexOf('/') + 1);
  }

  private Path kindDir(String kind) throws IOException {
    return Files.createDirectories(storage.resolve(clusterId()).resolve(kind));
  }

  private List<Path> filesIn(String kind) throws IOException {
    try (Stream<Path> files = Files.list(kindDir(kind))) {
      return files.toList();
    }
  }

  private String pointerTarget(String relativePath) throws Exception {
    return new String(
        observer.getData().forPath(cluster + "/" + relativePath), StandardCharsets.UTF_8);
  }

  private static CheckpointPointer checkpoint(JobId job, long id) {
    return new CheckpointPointer(
        id, "file:///checkpoints/" + job + "/chk-" + id, false, 1_000 + id, 900 + id, 4096 * id, 4);
  }

  private static JobResult result(JobId job) {
    return new JobResult(job, "job", "CANCELED", 1, 2, Optional.empty());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Optional<byte[]> bytes) {
    return new String(bytes.orElseThrow(), StandardCharsets.UTF_8);
  }
}

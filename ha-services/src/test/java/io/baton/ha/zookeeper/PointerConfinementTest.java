package io.baton.ha.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.config.Configuration;
import io.baton.common.ids.JobId;
import io.baton.ha.LeaderStores;
import io.baton.storage.FileStores;
import io.baton.storage.OutsideStorageException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pointers in ZooKeeper that name a file outside {@code high-availability.storageDir}, planted as
 * an intruder with write access to ZooKeeper would: every store refuses them with one line naming
 * the znode and the file, and the file is neither read nor deleted.
 */
class PointerConfinementTest {
  @RegisterExtension
  static final ZooKeeperServerExtension zooKeeper = new ZooKeeperServerExtension();

  @TempDir Path base;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final FileStores fileStores = new FileStores(new Configuration());
  private String cluster;
  private Path storage;
  private Path outside;
  private CuratorFramework intruder;

  @BeforeEach
  void setUp() throws Exception {
    cluster = "/baton/c-" + UUID.randomUUID();
    storage = Files.createDirectories(base.resolve("storage"));
    // Content each store would accept, so a store that read it would not fail.
    outside =
        Files.writeString(
            Files.createDirectories(base.resolve("etc")).resolve("hostname"),
            "{\"version\":1,\"jobId\":\"00000000000000000000000000000000\",\"jobName\":\"x\","
                + "\"status\":\"FINISHED\",\"startTime\":1,\"endTime\":2,"
                + "\"checkpointId\":1,\"directory\":\"file:///x\",\"savepoint\":false,"
                + "\"completionTimestamp\":1}");
    intruder = zooKeeper.newClient();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    fileStores.close();
  }

  /**
   * Ways to name {@code base/etc/hostname} from a pointer under {@code <storage>/<cid>/<kind>/}.
   */
  static Stream<String> escapes() {
    return Stream.of("absolute", "dot-dot", "percent-encoded", "other-scheme", "dot-slashes");
  }

  private String spell(String escape, String kind) {
    String kindDir = storage.toUri() + clusterId() + "/" + kind + "/";
    return switch (escape) {
      case "absolute" -> outside.toUri().toString();
      case "dot-dot" -> kindDir + "../../../etc/hostname";
      case "percent-encoded" -> kindDir + "%2e%2e/%2E%2E/%2e%2e/etc/hostname";
      case "other-scheme" -> "hdfs://namenode:8020" + outside.toUri().getPath();
      case "dot-slashes" -> kindDir + ".//./..//..//../etc//hostname";
      default -> throw new IllegalArgumentException(escape);
    };
  }

  @ParameterizedTest
  @MethodSource("escapes")
  void everyStoreRefusesAPointerOutsideItsDirectoryWithOneLine(String escape) throws Exception {
    LeaderStores stores = leader().stores();
    JobId job = JobId.random();
    String graph = plant("jobgraphs/" + job, spell(escape, "jobgraphs"));
    String result = plant("job-results/" + job, spell(escape, "job-results"));
    String jar = plant("blobs/jar-key", spell(escape, "blobs"));
    String checkpoint =
        plant("checkpoints/" + job + "/0000000000000000007", spell(escape, "checkpoints"));

    assertRefused(() -> stores.jobGraphStore().get(job), graph, spell(escape, "jobgraphs"));
    assertRefused(() -> stores.jobResultStore().get(job), result, spell(escape, "job-results"));
    Path copy = base.resolve("copy.jar");
    assertRefused(() -> stores.jobJarStore().copyTo("jar-key", copy), jar, spell(escape, "blobs"));
    assertThat(copy).doesNotExist();
    assertRefused(
        () -> stores.completedCheckpointStore(job).latest(),
        checkpoint,
        spell(escape, "checkpoints"));
    assertThat(stores.jobResultStore().all()).isEmpty();
    assertThat(outside).exists();
  }

  @ParameterizedTest
  @MethodSource("escapes")
  void removingReplacingReleasingAndCleaningUpLeaveTheOutsideFileAlone(String escape)
      throws Exception {
    LeaderStores stores = leader().stores();
    JobId removed = JobId.random();
    JobId replaced = JobId.random();
    JobId released = JobId.random();
    plant("jobgraphs/" + removed, spell(escape, "jobgraphs"));
    plant("jobgraphs/" + replaced, spell(escape, "jobgraphs"));
    plant("blobs/jar-key", spell(escape, "blobs"));
    plant("job-results/" + removed, spell(escape, "job-results"));
    plant("checkpoints/" + removed + "/0000000000000000003", spell(escape, "checkpoints"));
    plant("checkpoints/" + released + "/0000000000000000004", spell(escape, "checkpoints"));
    // Files next to the HA directories: another cluster's, and one in the storage root.
    Path otherCluster =
        Files.writeString(
            Files.createDirectories(storage.resolve("other-cluster").resolve("jobgraphs"))
                .resolve("graph"),
            "theirs");
    Path inRoot = Files.writeString(storage.resolve("notes.txt"), "mine");

    stores.jobGraphStore().remove(removed);
    stores.jobGraphStore().put(replaced, "new graph".getBytes(StandardCharsets.UTF_8));
    stores.jobJarStore().delete("jar-key");
    stores.completedCheckpointStore(removed).remove(3);
    stores.releaseJob(released);
    stores.removeUnreferencedFiles();

    assertThat(outside).exists().content().contains("FINISHED");
    assertThat(otherCluster).exists();
    assertThat(inRoot).exists();
    assertThat(stores.jobGraphStore().jobIds()).containsExactly(replaced);
    assertThat(
            new String(stores.jobGraphStore().get(replaced).orElseThrow(), StandardCharsets.UTF_8))
        .isEqualTo("new graph");
    assertThat(intruder.checkExists().forPath(cluster + "/blobs/jar-key")).isNull();
  }

  @Test
  void aPointerInsideItsDirectoryWrittenWithDotSegmentsIsReadNormalized() throws Exception {
    LeaderStores stores = leader().stores();
    JobId job = JobId.random();
    stores.jobGraphStore().put(job, "graph".getBytes(StandardCharsets.UTF_8));
    String written = new String(intruder.getData().forPath(cluster + "/jobgraphs/" + job));
    String name = written.substring(written.lastIndexOf('/') + 1);
    plant(
        "jobgraphs/" + job, storage.toUri() + clusterId() + "/blobs/../jobgraphs/./" + name, true);

    assertThat(new String(stores.jobGraphStore().get(job).orElseThrow(), StandardCharsets.UTF_8))
        .isEqualTo("graph");
  }

  private void assertRefused(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable read, String znode, String file) {
    assertThatThrownBy(read)
        .isInstanceOf(OutsideStorageException.class)
        .hasMessageContaining("Pointer " + znode + " names " + file)
        .hasMessageContaining("outside high-availability.storageDir")
        .hasMessageContaining("refused")
        .message()
        .doesNotContain("\n");
    assertThat(outside).exists();
  }

  private String plant(String relative, String target) throws Exception {
    return plant(relative, target, false);
  }

  private String plant(String relative, String target, boolean replace) throws Exception {
    String path = cluster + "/" + relative;
    byte[] data = target.getBytes(StandardCharsets.UTF_8);
    if (replace) {
      intruder.setData().forPath(path, data);
    } else {
      intruder.create().creatingParentsIfNeeded().forPath(path, data);
    }
    return path;
  }

  private TestLeader leader() throws Exception {
    TestLeader leader =
        TestLeader.contend(
            zooKeeper.connectString(), cluster, "jm-1:8081", fileStores, storage.toUri());
    toClose.add(leader);
    return leader;
  }

  private String clusterId() {
    return cluster.substring(cluster.lastIndexOf('/') + 1);
  }
}

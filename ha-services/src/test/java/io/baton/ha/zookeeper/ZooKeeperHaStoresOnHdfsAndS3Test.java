package io.baton.ha.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.config.Configuration;
import io.baton.common.ids.JobId;
import io.baton.ha.CheckpointPointer;
import io.baton.ha.JobResult;
import io.baton.ha.LeaderStores;
import io.baton.ha.LeadershipLostException;
import io.baton.storage.AtomicOutputStream;
import io.baton.storage.FileStore;
import io.baton.storage.FileStores;
import io.baton.storage.MiniHdfs;
import io.baton.storage.OutsideStorageException;
import io.baton.storage.S3ProxyServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The HA stores with {@code high-availability.storageDir} on a real HDFS cluster and a real S3 API
 * server, not only on the local file system.
 */
class ZooKeeperHaStoresOnHdfsAndS3Test {
  private static final String BUCKET = "baton-ha";
  private static final String OTHER_BUCKET = "someone-elses";

  @RegisterExtension
  static final ZooKeeperServerExtension zooKeeper = new ZooKeeperServerExtension();

  private static Path baseDir;
  private static MiniHdfs hdfs;
  private static S3ProxyServer s3;
  private static FileStores fileStores;

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeAll
  static void startServers() throws Exception {
    baseDir = Files.createTempDirectory("ha-stores-hdfs-s3");
    hdfs = MiniHdfs.start(baseDir);
    s3 = S3ProxyServer.start();
    s3.createBucket(BUCKET);
    s3.createBucket(OTHER_BUCKET);
    Configuration config = s3.configuration().withOverrides(hdfs.configuration().toMap());
    fileStores = new FileStores(config);
  }

  @AfterAll
  static void stopServers() throws Exception {
    fileStores.close();
    s3.stop();
    hdfs.stop();
    try (Stream<Path> files = Files.walk(baseDir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  static Stream<String> storageDirs() {
    return Stream.of("hdfs", "s3");
  }

  private static URI storageDir(String scheme) {
    String dir = "/ha-" + UUID.randomUUID();
    return scheme.equals("hdfs")
        ? URI.create(hdfs.namenode() + dir)
        : URI.create("s3://" + BUCKET + dir);
  }

  @ParameterizedTest
  @MethodSource("storageDirs")
  void everyStoreWritesReadsAndRemovesThroughTheStorageDir(String scheme) throws Exception {
    URI storageDir = storageDir(scheme);
    String cluster = "/baton/" + scheme + "-" + UUID.randomUUID();
    TestLeader first = leader(cluster, storageDir, "jm-1:8081");
    LeaderStores stores = first.stores();
    JobId job = JobId.random();
    Path jar = Files.write(baseDir.resolve("job-" + UUID.randomUUID() + ".jar"), bytes("jar"));

    stores.jobGraphStore().put(job, bytes("graph"));
    stores.jobJarStore().put("jar-key", jar);
    stores.completedCheckpointStore(job).add(checkpoint(job, 1));
    stores.completedCheckpointStore(job).add(checkpoint(job, 2));
    stores.checkpointIdCounter(job).setCount(3);
    JobResult result = new JobResult(job, "Ledger", "FINISHED", 1, 2, Optional.empty());
    stores.jobResultStore().put(result);

    // Read back by a new leader of the cluster, as after a failover.
    first.close();
    LeaderStores recovered = leader(cluster, storageDir, "jm-2:8081").stores();
    assertThat(recovered.jobGraphStore().jobIds()).containsExactly(job);
    assertThat(new String(recovered.jobGraphStore().get(job).orElseThrow(), StandardCharsets.UTF_8))
        .isEqualTo("graph");
    Path copy = baseDir.resolve("copy-" + UUID.randomUUID() + ".jar");
    recovered.jobJarStore().copyTo("jar-key", copy);
    assertThat(Files.readString(copy)).isEqualTo("jar");
    assertThat(recovered.completedCheckpointStore(job).latest()).contains(checkpoint(job, 2));
    assertThat(recovered.checkpointIdCounter(job).get()).isEqualTo(3);
    assertThat(recovered.jobResultStore().get(job)).contains(result);
    URI graphs = FilePointerStore.child(storageDir, clusterId(cluster) + "/jobgraphs");
    assertThat(store(graphs).list(graphs)).hasSize(1);

    // A file left without a pointer goes; removal is pointer first, then file.
    URI orphan = FilePointerStore.child(graphs, "orphan-" + UUID.randomUUID());
    write(orphan, "left by a crashed leader");
    recovered.removeUnreferencedFiles();
    assertThat(store(orphan).exists(orphan)).isFalse();
    recovered.completedCheckpointStore(job).remove(1);
    recovered.jobGraphStore().remove(job);
    recovered.jobJarStore().delete("jar-key");
    recovered.releaseJob(job);
    assertThat(store(graphs).list(graphs)).isEmpty();
    URI checkpoints = FilePointerStore.child(storageDir, clusterId(cluster) + "/checkpoints");
    assertThat(store(checkpoints).list(checkpoints)).isEmpty();
    assertThat(recovered.jobGraphStore().jobIds()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("storageDirs")
  void pointerWhoseFileIsGoneNamesBothAndDeposedWritesLeaveNoFile(String scheme) throws Exception {
    URI storageDir = storageDir(scheme);
    String cluster = "/baton/" + scheme + "-" + UUID.randomUUID();
    TestLeader first = leader(cluster, storageDir, "jm-1:8081");
    LeaderStores stores = first.stores();
    JobId gone = JobId.random();
    JobId kept = JobId.random();
    stores.jobGraphStore().put(gone, bytes("gone"));
    stores.jobGraphStore().put(kept, bytes("kept"));
    URI goneFile = URI.create(pointer(cluster + "/jobgraphs/" + gone));
    store(goneFile).delete(goneFile);

    assertThatThrownBy(() -> stores.jobGraphStore().get(gone))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(cluster + "/jobgraphs/" + gone)
        .hasMessageContaining(goneFile.toString());
    assertThat(stores.jobGraphStore().get(kept)).isPresent();

    first.election.close();
    assertThatThrownBy(() -> stores.jobGraphStore().put(JobId.random(), bytes("late")))
        .isInstanceOf(LeadershipLostException.class);
    URI graphs = FilePointerStore.child(storageDir, clusterId(cluster) + "/jobgraphs");
    assertThat(store(graphs).list(graphs)).hasSize(1);
  }

  @ParameterizedTest
  @MethodSource("storageDirs")
  void pointersToAnotherBucketOrPrefixAreRefusedAndTheirFilesStay(String scheme) throws Exception {
    URI storageDir = storageDir(scheme);
    String cluster = "/baton/" + scheme + "-" + UUID.randomUUID();
    LeaderStores stores = leader(cluster, storageDir, "jm-1:8081").stores();
    URI elsewhere =
        scheme.equals("hdfs")
            ? URI.create(hdfs.namenode() + "/elsewhere-" + UUID.randomUUID() + "/secret")
            : URI.create("s3://" + OTHER_BUCKET + "/secret-" + UUID.randomUUID());
    write(elsewhere, "not Baton's");
    // A neighbour of the storage directory on the same namenode or bucket, named by escaping it.
    String neighbour = "ha-other-" + UUID.randomUUID();
    URI theirs = storageDir.resolve("/" + neighbour + "/jobgraphs/secret");
    write(theirs, "theirs");
    URI sibling =
        URI.create(
            storageDir
                + "/"
                + clusterId(cluster)
                + "/jobgraphs/../../../"
                + neighbour
                + "/jobgraphs/secret");
    JobId job = JobId.random();
    JobId other = JobId.random();
    String graphPointer = cluster + "/jobgraphs/" + job;
    String otherPointer = cluster + "/jobgraphs/" + other;
    plant(graphPointer, elsewhere.toString());
    plant(otherPointer, sibling.toString());

    assertThatThrownBy(() -> stores.jobGraphStore().get(job))
        .isInstanceOf(OutsideStorageException.class)
        .hasMessageContaining("Pointer " + graphPointer + " names " + elsewhere)
        .hasMessageContaining("outside high-availability.storageDir");
    assertThatThrownBy(() -> stores.jobGraphStore().get(other))
        .isInstanceOf(OutsideStorageException.class)
        .hasMessageContaining("Pointer " + otherPointer);
    stores.jobGraphStore().remove(job);
    stores.jobGraphStore().remove(other);
    stores.removeUnreferencedFiles();

    assertThat(store(elsewhere).exists(elsewhere)).isTrue();
    assertThat(store(theirs).exists(theirs)).isTrue();
    assertThat(stores.jobGraphStore().jobIds()).isEmpty();
  }

  private void plant(String path, String target) throws Exception {
    zooKeeper
        .newClient()
        .create()
        .creatingParentsIfNeeded()
        .forPath(path, target.getBytes(StandardCharsets.UTF_8));
  }

  private TestLeader leader(String cluster, URI storageDir, String id) throws Exception {
    TestLeader leader =
        TestLeader.contend(zooKeeper.connectString(), cluster, id, fileStores, storageDir);
    toClose.add(leader);
    return leader;
  }

  private String pointer(String path) throws Exception {
    return new String(zooKeeper.newClient().getData().forPath(path), StandardCharsets.UTF_8);
  }

  private static FileStore store(URI uri) throws IOException {
    return fileStores.forUri(uri);
  }

  private static void write(URI file, String text) throws IOException {
    try (AtomicOutputStream out = store(file).create(file)) {
      out.write(bytes(text));
    }
  }

  private static String clusterId(String cluster) {
    return cluster.substring(cluster.lastIndexOf('/') + 1);
  }

  private static CheckpointPointer checkpoint(JobId job, long id) {
    return new CheckpointPointer(id, "s3://cp/" + job + "/chk-" + id, false, id);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

package io.baton.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.config.Configuration;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.config.StorageOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract on HDFS: an in-process MiniDFSCluster, started once for the class, reached through
 * FileStores with the client configuration read from a Hadoop conf directory.
 */
class HdfsFileStoreTest extends FileStoreContractTest {
  @TempDir static Path tmp;

  private static MiniDFSCluster cluster;
  private static URI namenode;
  private static Path confDir;
  private static FileStores stores;
  private static FileStore store;

  @BeforeAll
  static void startCluster() throws IOException {
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("dfs").toString());
    // a test cluster: no fsync of the edit log per operation, few handler threads, no scanners
    conf.setBoolean("dfs.namenode.edits.noeditlogchannelflush", true);
    conf.setInt("dfs.namenode.handler.count", 4);
    conf.setInt("dfs.namenode.service.handler.count", 2);
    conf.setInt("dfs.datanode.handler.count", 2);
    conf.setInt("dfs.datanode.scan.period.hours", -1);
    conf.setBoolean("dfs.webhdfs.enabled", false);
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).format(true).build();
    cluster.waitActive();
    namenode = cluster.getURI();

    // what an operator would ship: core-site.xml naming the namenode, hdfs-site.xml with client
    // settings (1 MiB blocks, so the large file spans several)
    confDir = Files.createDirectories(tmp.resolve("hadoop-conf"));
    Files.writeString(
        confDir.resolve("core-site.xml"), site(Map.of("fs.defaultFS", namenode.toString())));
    Files.writeString(
        confDir.resolve("hdfs-site.xml"),
        site(
            Map.of(
                "dfs.blocksize", "1048576",
                "dfs.replication", "1",
                // the client polls the namenode to complete a file; the default first wait (400
                // ms) dominates a small cluster's write time
                "dfs.client.block.write.locateFollowingBlock.initial.delay.ms", "20")));
    stores =
        new FileStores(
            new Configuration().set(StorageOptions.HADOOP_CONF_DIR, confDir.toString()), Map.of());
    store = stores.forUri(namenode);
  }

  @AfterAll
  static void stopCluster() throws IOException {
    if (stores != null) {
      stores.close();
    }
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  @Override
  protected FileStore store() {
    return store;
  }

  @Override
  protected URI baseDirectory() {
    return namenode.resolve("/baton/contract/");
  }

  @Test
  void uriWithoutNamenodeUsesTheDefaultFileSystemFromTheConfDirectory() throws IOException {
    URI implicit = URI.create("hdfs:///baton/implicit/_metadata");
    try (AtomicOutputStream out = stores.forUri(implicit).create(implicit)) {
      out.write(utf8("{\"version\":1}"));
    }

    assertThat(store.size(namenode.resolve("/baton/implicit/_metadata"))).isEqualTo(13);
    stores.checkWritable(URI.create("hdfs:///baton/implicit"), "state.checkpoints.dir");
  }

  @Test
  void hadoopConfEnvironmentVariableIsUsedWhenTheKeyIsUnset() throws IOException {
    try (FileStores fromEnvironment =
        new FileStores(new Configuration(), Map.of("HADOOP_CONF_DIR", confDir.toString()))) {
      URI file = URI.create("hdfs:///baton/from-env");
      try (AtomicOutputStream out = fromEnvironment.forUri(file).create(file)) {
        out.write(utf8("env"));
      }
      assertThat(store.exists(namenode.resolve("/baton/from-env"))).isTrue();
    }
  }

  @Test
  void missingHadoopConfDirectoryIsNamed() throws IOException {
    Configuration wrong =
        new Configuration().set(StorageOptions.HADOOP_CONF_DIR, tmp.resolve("nope").toString());
    try (FileStores misconfigured = new FileStores(wrong, Map.of())) {
      assertThatThrownBy(
              () -> misconfigured.checkWritable(namenode.resolve("/x"), "state.checkpoints.dir"))
          .isInstanceOf(IllegalConfigurationException.class)
          .hasMessageContaining("fs.hdfs.hadoopconf " + tmp.resolve("nope"))
          .hasMessageContaining("is not a directory")
          .hasMessageNotContaining("\n");
    }
  }

  @Test
  void namenodeThatIsDownFailsFastWithOneLine() throws IOException {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    URI location = URI.create("hdfs://127.0.0.1:" + deadPort + "/baton/checkpoints");
    Instant start = Instant.now();
    try (FileStores unreachable = new FileStores(new Configuration(), Map.of())) {
      assertThatThrownBy(() -> unreachable.checkWritable(location, "state.checkpoints.dir"))
          .isInstanceOf(IllegalConfigurationException.class)
          .hasMessage(
              "cannot use state.checkpoints.dir "
                  + location
                  + ": cannot reach the HDFS namenode at 127.0.0.1:"
                  + deadPort
                  + ": ConnectException: Connection refused")
          .hasMessageNotContaining("\n");
      URI file = location.resolve("checkpoints/_metadata");
      assertThatThrownBy(() -> unreachable.forUri(file).open(file))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith(file + ": ")
          .hasMessageContaining("Connection refused");
    }
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(15));
  }

  private static String site(Map<String, String> properties) {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<configuration>\n");
    properties.forEach(
        (name, value) ->
            xml.append("  <property><name>")
                .append(name)
                .append("</name><value>")
                .append(value)
                .append("</value></property>\n"));
    return xml.append("</configuration>\n").toString();
  }
}

package io.baton.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.config.Configuration;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.config.StorageOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.HdfsConfiguration;
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

  private static MiniHdfs hdfs;
  private static URI namenode;
  private static FileStores stores;
  private static FileStore store;

  @BeforeAll
  static void startCluster() throws IOException {
    hdfs = MiniHdfs.start(tmp);
    namenode = hdfs.namenode();
    stores = new FileStores(hdfs.configuration(), Map.of());
    store = stores.forUri(namenode);
  }

  @AfterAll
  static void stopCluster() throws IOException {
    if (stores != null) {
      stores.close();
    }
    if (hdfs != null) {
      hdfs.stop();
    }
  }

  @Override
  protected FileStore store() {
    return store;
  }

  @Override
  protected void assertNoHiddenLeftovers(URI dir) throws IOException {
    try (FileSystem raw = FileSystem.newInstance(namenode, new HdfsConfiguration())) {
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(dir.getPath());
      if (raw.exists(path)) {
        RemoteIterator<LocatedFileStatus> all = raw.listFiles(path, true);
        while (all.hasNext()) {
          assertThat(all.next().getPath().getName()).doesNotContain(".tmp-");
        }
      }
    }
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
        new FileStores(new Configuration(), Map.of("HADOOP_CONF_DIR", hdfs.confDir().toString()))) {
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
}

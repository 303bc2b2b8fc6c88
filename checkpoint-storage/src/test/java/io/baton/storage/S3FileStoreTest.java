package io.baton.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.config.Configuration;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.config.StorageOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** The contract on S3 (S3Proxy in the test JVM), plus S3's own failure modes. */
class S3FileStoreTest extends FileStoreContractTest {
  private static final String BUCKET = "checkpoints";

  /** The smallest part S3 allows, so the large-file tests go through multipart uploads. */
  private static final int PART_SIZE = 5 * 1024 * 1024;

  private static S3ProxyServer server;
  private static S3Client client;
  private static S3FileStore store;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start();
    server.createBucket(BUCKET);
    client = server.newClient();
    store = new S3FileStore(client, BUCKET, server.endpoint().toString(), PART_SIZE);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (store != null) {
      store.close();
    }
    if (server != null) {
      server.stop();
    }
  }

  @Override
  protected FileStore store() {
    return store;
  }

  @Override
  protected URI baseDirectory() {
    return URI.create("s3://" + BUCKET + "/baton/contract/");
  }

  @Override
  protected void assertNoHiddenLeftovers(URI dir) {
    String prefix = dir.getPath().substring(1);
    assertThat(client.listMultipartUploads(b -> b.bucket(BUCKET).prefix(prefix)).uploads())
        .isEmpty();
  }

  @Override
  protected int largeFileSize() {
    return 3 * PART_SIZE + 17;
  }

  @Test
  void abortedMultipartUploadLeavesNoPendingUpload() throws IOException {
    URI file = uri("big.bin");
    AtomicOutputStream out = store.create(file);
    out.write(randomBytes(2 * PART_SIZE + 1, 7));
    assertThat(client.listMultipartUploads(b -> b.bucket(BUCKET)).uploads())
        .anySatisfy(upload -> assertThat(upload.key()).isEqualTo(file.getPath().substring(1)));

    out.abort();

    assertThat(client.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
    assertThat(store.exists(file)).isFalse();
  }

  @Test
  void moreKeysThanOnePageAreListedAndDeleted() throws Exception {
    // S3 returns at most 1000 keys per listing and deletes at most 1000 per request
    int files = 1005;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> writes = new ArrayList<>();
      for (int i = 0; i < files; i++) {
        URI file = uri("many/part-" + i);
        writes.add(
            pool.submit(
                () -> {
                  write(file, new byte[0]);
                  return file;
                }));
      }
      for (Future<?> write : writes) {
        write.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(store.list(uri("many"))).hasSize(files);
    store.deleteRecursively(uri("many"));
    assertThat(store.list(uri("many"))).isEmpty();
  }

  @Test
  void storesFromConfigurationReachTheServer() throws IOException {
    URI location = URI.create("s3://" + BUCKET + "/configured/chk-1/_metadata");
    try (FileStores stores = new FileStores(server.configuration())) {
      FileStore configured = stores.forUri(location);
      try (AtomicOutputStream out = configured.create(location)) {
        out.write(utf8("{}"));
      }
      assertThat(configured.size(location)).isEqualTo(2);
      assertThat(store.exists(location)).isTrue();
      stores.checkWritable(URI.create("s3://" + BUCKET + "/configured"), "state.checkpoints.dir");
      assertThat(configured.list(URI.create("s3://" + BUCKET + "/configured/")))
          .containsExactly(URI.create("s3://" + BUCKET + "/configured/chk-1/"));
    }
  }

  @Test
  void bucketThatDoesNotExistIsNamed() throws IOException {
    URI location = URI.create("s3://no-such-bucket/checkpoints");
    try (FileStores stores = new FileStores(server.configuration())) {
      assertThatThrownBy(() -> stores.checkWritable(location, "state.checkpoints.dir"))
          .isInstanceOf(IllegalConfigurationException.class)
          .hasMessageStartingWith(
              "cannot use state.checkpoints.dir s3://no-such-bucket/checkpoints: ")
          .hasMessageContaining("bucket 'no-such-bucket' does not exist")
          .hasMessageNotContaining("\n");
    }
  }

  @Test
  void wrongCredentialsAreNamed() throws IOException {
    URI location = URI.create("s3://" + BUCKET + "/checkpoints");
    Configuration wrong =
        server.configuration().set(StorageOptions.S3_SECRET_KEY, "not-the-secret");
    try (FileStores stores = new FileStores(wrong)) {
      assertThatThrownBy(() -> stores.checkWritable(location, "state.checkpoints.dir"))
          .isInstanceOf(IllegalConfigurationException.class)
          .hasMessageStartingWith("cannot use state.checkpoints.dir " + location + ": ")
          .hasMessageContaining("access denied")
          .hasMessageContaining("s3.secret-key")
          .hasMessageNotContaining("\n");
      // the same one line from the store itself, naming the file
      URI file = URI.create("s3://" + BUCKET + "/checkpoints/x");
      assertThatThrownBy(() -> stores.forUri(file).open(file))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith(file + ": access denied");
    }
  }

  @Test
  void unreachableEndpointFailsFastWithOneLine() throws IOException {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    URI location = URI.create("s3://" + BUCKET + "/checkpoints");
    Configuration unreachable =
        server.configuration().set(StorageOptions.S3_ENDPOINT, "http://127.0.0.1:" + deadPort);
    Instant start = Instant.now();
    try (FileStores stores = new FileStores(unreachable)) {
      assertThatThrownBy(() -> stores.checkWritable(location, "state.checkpoints.dir"))
          .isInstanceOf(IllegalConfigurationException.class)
          .hasMessageStartingWith("cannot use state.checkpoints.dir " + location + ": ")
          .hasMessageContaining("cannot reach S3 at http://127.0.0.1:" + deadPort)
          .hasMessageContaining("Connection refused")
          .hasMessageNotContaining("\n");
    }
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(15));
  }
}

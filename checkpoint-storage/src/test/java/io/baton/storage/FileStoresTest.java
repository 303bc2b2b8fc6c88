package io.baton.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.config.Configuration;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.config.StorageOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoresTest {
  @TempDir Path tmp;

  @Test
  void plainPathsAreLocalFileUris() {
    URI uri = FileStores.toUri("relative/dir");

    assertThat(uri.getScheme()).isEqualTo("file");
    assertThat(Path.of(uri)).isEqualTo(Path.of("relative/dir").toAbsolutePath());
    assertThat(FileStores.toUri("s3://bucket/prefix")).isEqualTo(URI.create("s3://bucket/prefix"));
  }

  @Test
  void malformedLocationIsNamed() {
    assertThatThrownBy(() -> FileStores.toUri("hdfs://name node/x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("'hdfs://name node/x' is not a valid URI");
  }

  @Test
  void unknownSchemeIsNamed() throws IOException {
    URI location = URI.create("ftp://server/checkpoints");
    try (FileStores stores = new FileStores(new Configuration())) {
      assertThatThrownBy(() -> stores.forUri(location))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "unsupported storage scheme 'ftp' in ftp://server/checkpoints: use file://, hdfs:// or"
                  + " s3://");
      assertThatThrownBy(() -> stores.checkWritable(location, "state.checkpoints.dir"))
          .isInstanceOf(IllegalConfigurationException.class)
          .hasMessageStartingWith("cannot use state.checkpoints.dir ftp://server/checkpoints: ")
          .hasMessageContaining("unsupported storage scheme 'ftp'");
    }
  }

  @Test
  void storesAreSharedPerSchemeAndAuthority() throws IOException {
    // creating S3 stores contacts nothing, so no server is needed here
    Configuration s3 =
        new Configuration()
            .set(StorageOptions.S3_ENDPOINT, "http://127.0.0.1:9")
            .set(StorageOptions.S3_ACCESS_KEY, "a")
            .set(StorageOptions.S3_SECRET_KEY, "b");
    try (FileStores stores = new FileStores(s3)) {
      FileStore bucketA = stores.forUri(URI.create("s3://a/chk"));

      assertThat(stores.forUri(URI.create("s3://a/other/path"))).isSameAs(bucketA);
      assertThat(stores.forUri(URI.create("S3://a/x"))).isSameAs(bucketA);
      assertThat(stores.forUri(URI.create("s3://b/chk"))).isNotSameAs(bucketA);
      assertThat(stores.forUri(tmp.toUri())).isSameAs(stores.forUri(URI.create("file:///x")));
    }
  }

  @Test
  void checkWritableLeavesNothingBehind() throws IOException {
    Path dir = tmp.resolve("checkpoints");
    try (FileStores stores = new FileStores(new Configuration())) {
      stores.checkWritable(dir.toUri(), "state.checkpoints.dir");
    }

    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void checkWritableNamesTheKeyAndTheLocation() throws IOException {
    Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
    URI location = file.resolve("checkpoints").toUri();
    try (FileStores stores = new FileStores(new Configuration())) {
      assertThatThrownBy(() -> stores.checkWritable(location, "state.savepoints.dir"))
          .isInstanceOf(IllegalConfigurationException.class)
          .hasMessageStartingWith("cannot use state.savepoints.dir " + location + ": ")
          .hasMessageNotContaining("\n");
    }
  }

  @Test
  void s3KeysAreCheckedWhenTheStoreIsCreated() throws IOException {
    Configuration halfCredentials = new Configuration().set(StorageOptions.S3_ACCESS_KEY, "a");
    Configuration badEndpoint = new Configuration().set(StorageOptions.S3_ENDPOINT, "minio:9000");
    try (FileStores half = new FileStores(halfCredentials);
        FileStores bad = new FileStores(badEndpoint)) {
      assertThatThrownBy(() -> half.forUri(URI.create("s3://bucket/x")))
          .isInstanceOf(IllegalConfigurationException.class)
          .hasMessageContaining("set both s3.access-key and s3.secret-key");
      assertThatThrownBy(
              () -> bad.checkWritable(URI.create("s3://bucket/x"), "state.checkpoints.dir"))
          .isInstanceOf(IllegalConfigurationException.class)
          .hasMessage(
              "cannot use state.checkpoints.dir s3://bucket/x: s3.endpoint 'minio:9000' must start"
                  + " with http:// or https://");
    }
  }

  @Test
  void s3UriWithoutBucketIsNamed() throws IOException {
    try (FileStores stores = new FileStores(new Configuration())) {
      assertThatThrownBy(() -> stores.forUri(URI.create("s3:///prefix")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("s3:///prefix names no bucket: use s3://<bucket>/<prefix>");
    }
  }
}

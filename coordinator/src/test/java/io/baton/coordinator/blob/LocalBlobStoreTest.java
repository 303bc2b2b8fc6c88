package io.baton.coordinator.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.config.Configuration;
import io.baton.common.config.CoreOptions;
import io.baton.coordinator.blob.BlobStore.StoredJar;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBlobStoreTest {
  @TempDir Path dir;

  @Test
  void storesContentUnderItsSha256AndKeepsNameAndUploadTime() throws Exception {
    byte[] content = "jar bytes".getBytes(StandardCharsets.UTF_8);
    LocalBlobStore store = new LocalBlobStore(dir.resolve("blobs"), clockAt(1_000));

    String key = store.put(new ByteArrayInputStream(content), "wordcount.jar");

    assertThat(key)
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
    assertThat(store.contains(key)).isTrue();
    assertThat(Files.readAllBytes(store.localFile(key))).isEqualTo(content);
    try (InputStream in = store.open(key)) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    assertThat(store.list())
        .containsExactly(new StoredJar(key, "wordcount.jar", 1_000, content.length));
  }

  @Test
  void listsNewestFirstAndLeavesNoTemporaryFiles() throws Exception {
    Path blobs = dir.resolve("blobs");
    LocalBlobStore first = new LocalBlobStore(blobs, clockAt(1_000));
    LocalBlobStore later = new LocalBlobStore(blobs, clockAt(2_000));

    String a = first.put(stream("a"), "a.jar");
    String b = later.put(stream("b"), "b.jar");

    assertThat(later.list()).extracting(StoredJar::key).containsExactly(b, a);
    try (Stream<Path> files = Files.list(blobs)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(a + ".jar", a + ".json", b + ".jar", b + ".json");
    }
  }

  @Test
  void storesTheSameContentOnce() throws Exception {
    LocalBlobStore store = new LocalBlobStore(dir, clockAt(1_000));

    String first = store.put(stream("same"), "one.jar");
    String second = store.put(stream("same"), "two.jar");

    assertThat(second).isEqualTo(first);
    assertThat(store.list()).extracting(StoredJar::name).containsExactly("two.jar");
  }

  @Test
  void deletesAJar() throws Exception {
    LocalBlobStore store = new LocalBlobStore(dir, clockAt(1_000));
    String key = store.put(stream("gone"), "gone.jar");

    store.delete(key);

    assertThat(store.contains(key)).isFalse();
    assertThat(store.list()).isEmpty();
    assertThatThrownBy(() -> store.localFile(key))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessage("no jar with key " + key);
  }

  @Test
  void refusesKeysThatAreNotKeys() throws Exception {
    LocalBlobStore store = new LocalBlobStore(dir, clockAt(1_000));

    assertThat(store.contains("../etc/passwd")).isFalse();
    assertThatThrownBy(() -> store.open("../etc/passwd")).isInstanceOf(IOException.class);
  }

  @Test
  void defaultsToAFreshDirectoryInTheFirstTmpDir() throws Exception {
    Configuration conf =
        new Configuration().set(CoreOptions.TMP_DIRS, dir + "," + dir.resolve("second"));

    LocalBlobStore store = LocalBlobStore.inTmpDirs(conf);

    assertThat(store.directory().getParent()).isEqualTo(dir);
    assertThat(store.directory().getFileName().toString()).startsWith("baton-jm-blobs-");
    assertThat(store.directory()).isDirectory();
  }

  private static InputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  private static Clock clockAt(long millis) {
    return Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
  }
}

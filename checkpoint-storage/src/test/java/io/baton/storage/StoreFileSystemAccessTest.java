package io.baton.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.api.fs.FileSystemAccess;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the file sink sees: the connector file API over S3 and local files. */
class StoreFileSystemAccessTest {
  private static final String BUCKET = "sink-output";

  private static S3ProxyServer server;

  @TempDir Path tmp;

  private FileStores stores;
  private FileSystemAccess files;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start();
    server.createBucket(BUCKET);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  @BeforeEach
  void openStores() {
    stores = new FileStores(server.configuration());
    files = new StoreFileSystemAccess(stores);
  }

  @AfterEach
  void closeStores() throws IOException {
    stores.close();
  }

  /** The output directory for a backend: an S3 prefix, a file URI or a plain local path. */
  private String outputDir(String backend) {
    String unique = "out-" + UUID.randomUUID();
    return switch (backend) {
      case "s3" -> "s3://" + BUCKET + "/" + unique;
      case "file" -> tmp.resolve(unique).toUri().toString().replaceAll("/$", "");
      case "path" -> tmp.resolve(unique).toString();
      default -> throw new IllegalArgumentException(backend);
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3", "file", "path"})
  void inProgressPartIsCommittedByRename(String backend) throws IOException {
    String dir = outputDir(backend);
    String inProgress = dir + "/.part-0-0.inprogress";
    String committed = dir + "/part-0-0";

    OutputStream out = files.createAtomic(inProgress);
    out.write(utf8("a,1\nb,2\n"));
    assertThat(files.exists(inProgress)).isFalse();
    out.close();
    files.rename(inProgress, committed);

    assertThat(files.exists(inProgress)).isFalse();
    assertThat(read(committed)).isEqualTo("a,1\nb,2\n");
    assertThat(files.list(dir)).hasSize(1).allSatisfy(uri -> assertThat(uri).endsWith("/part-0-0"));
    assertThat(read(files.list(dir).get(0))).isEqualTo("a,1\nb,2\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3", "file", "path"})
  void deleteAndMissingFiles(String backend) throws IOException {
    String dir = outputDir(backend);
    String file = dir + "/part-1-0";
    try (OutputStream out = files.createAtomic(file)) {
      out.write(utf8("x"));
    }

    files.delete(file);
    files.delete(file);

    assertThat(files.exists(file)).isFalse();
    assertThat(files.list(dir)).isEmpty();
    assertThatThrownBy(() -> files.open(file))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining("part-1-0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3", "file"})
  void renameAcrossFileSystemsIsRefused(String backend) {
    String local = tmp.resolve("local").toString();
    String remote = "s3://" + BUCKET + "/remote";
    String from = backend.equals("s3") ? remote : local;
    String to = backend.equals("s3") ? local : remote;

    assertThatThrownBy(() -> files.rename(from, to))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("different file systems");
  }

  @Test
  void plainPathsAreLocalFiles() throws IOException {
    String file = outputDir("path") + "/plain.txt";
    try (OutputStream out = files.createAtomic(file)) {
      out.write(utf8("local"));
    }

    assertThat(Files.readString(Path.of(file))).isEqualTo("local");
    assertThat(files.list(Path.of(file).getParent().toString()))
        .isEqualTo(List.of(Path.of(file).toUri().toString()));
  }

  private String read(String uri) throws IOException {
    try (InputStream in = files.open(uri)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

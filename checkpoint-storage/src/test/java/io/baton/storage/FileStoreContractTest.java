package io.baton.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * What every {@link FileStore} must do, run against each backend. Each test works in a fresh
 * directory under {@link #baseDirectory()}.
 */
abstract class FileStoreContractTest {

  /** The store under test; the subclass owns and closes it. */
  protected abstract FileStore store();

  /** A directory (URI) the tests may write under. */
  protected abstract URI baseDirectory();

  /** Large enough to take the backend's path for big files (multipart on S3). */
  protected int largeFileSize() {
    return 3 * 1024 * 1024 + 17;
  }

  /**
   * Fails when the backend kept anything of the files written under {@code directory} beyond what
   * {@link FileStore#list} shows: hidden temporary files, pending multipart uploads.
   */
  protected abstract void assertNoHiddenLeftovers(URI directory) throws IOException;

  private URI dir;

  @BeforeEach
  void freshDirectory(TestInfo test) {
    dir =
        StorageUris.child(
            baseDirectory(),
            test.getTestMethod().orElseThrow().getName() + "-" + UUID.randomUUID() + "/");
  }

  @AfterEach
  void removeDirectory() throws IOException {
    store().deleteRecursively(dir);
  }

  @Test
  void fileIsInvisibleWhileBeingWrittenAndCompleteAfterClose() throws IOException {
    URI file = uri("state.bin");
    byte[] content = randomBytes(100_000, 1);
    try (AtomicOutputStream out = store().create(file)) {
      out.write(content, 0, 60_000);
      out.flush();
      assertThat(store().exists(file)).isFalse();
      assertThat(store().list(dir)).isEmpty();
      assertThatThrownBy(() -> store().open(file)).isInstanceOf(FileNotFoundException.class);
      out.write(content, 60_000, 40_000);
    }
    assertThat(store().exists(file)).isTrue();
    assertThat(read(file)).isEqualTo(content);
    assertThat(paths(store().list(dir))).containsExactly(file.getPath());
    assertNoHiddenLeftovers(dir);
  }

  @Test
  void abortLeavesNothingBehind() throws IOException {
    URI file = uri("aborted.bin");
    AtomicOutputStream out = store().create(file);
    // more than one part on S3, so a multipart upload was started and must be aborted
    out.write(randomBytes(largeFileSize(), 2));
    out.abort();
    out.close();

    assertThat(store().exists(file)).isFalse();
    assertThat(store().list(dir)).isEmpty();
    assertThatThrownBy(() -> store().open(file)).isInstanceOf(FileNotFoundException.class);
    assertNoHiddenLeftovers(dir);
  }

  @Test
  void abortAfterCloseKeepsTheFile() throws IOException {
    URI file = uri("kept.txt");
    AtomicOutputStream out = store().create(file);
    out.write(utf8("kept"));
    out.close();
    out.abort();
    out.close();

    assertThat(read(file)).isEqualTo(utf8("kept"));
  }

  @Test
  void writingAfterCloseFails() throws IOException {
    AtomicOutputStream out = store().create(uri("closed.txt"));
    out.close();

    assertThatThrownBy(() -> out.write(utf8("late")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void createOverwritesAnExistingFile() throws IOException {
    URI file = uri("_metadata");
    write(file, utf8("first version, longer"));
    write(file, utf8("second"));

    assertThat(read(file)).isEqualTo(utf8("second"));
    assertThat(store().size(file)).isEqualTo(6);
  }

  @Test
  void emptyFileRoundTrips() throws IOException {
    URI file = uri("empty");
    write(file, new byte[0]);

    assertThat(store().exists(file)).isTrue();
    assertThat(store().size(file)).isZero();
    assertThat(read(file)).isEmpty();
  }

  @Test
  void openAndSizeOfAMissingFileNameIt() {
    URI missing = uri("missing.bin");

    assertThatThrownBy(() -> store().open(missing))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining(missing.getPath());
    assertThatThrownBy(() -> store().size(missing))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining(missing.getPath());
  }

  @Test
  void sizeIsTheNumberOfBytesWritten() throws IOException {
    URI file = uri("sized.bin");
    write(file, randomBytes(12_345, 3));

    assertThat(store().size(file)).isEqualTo(12_345);
  }

  @Test
  void listShowsDirectChildrenOnly() throws IOException {
    write(uri("a"), utf8("a"));
    write(uri("b"), utf8("b"));
    write(uri("sub/c"), utf8("c"));
    write(uri("sub/deeper/d"), utf8("d"));

    assertThat(paths(store().list(dir))).containsExactly(path("a"), path("b"), path("sub") + "/");
    assertThat(paths(store().list(uri("sub"))))
        .containsExactly(path("sub/c"), path("sub/deeper") + "/");
    assertThat(paths(store().list(uri("sub/")))).hasSize(2);
  }

  @Test
  void listOfAMissingDirectoryIsEmpty() throws IOException {
    assertThat(store().list(uri("nothing-here"))).isEmpty();
  }

  @Test
  void renameMovesTheFile() throws IOException {
    URI from = uri("part-0.inprogress");
    URI to = uri("committed/part-0");
    write(from, utf8("records"));

    store().rename(from, to);

    assertThat(store().exists(from)).isFalse();
    assertThat(read(to)).isEqualTo(utf8("records"));
  }

  @Test
  void renameReplacesAnExistingTarget() throws IOException {
    URI from = uri("new");
    URI to = uri("current");
    write(from, utf8("new"));
    write(to, utf8("old content"));

    store().rename(from, to);

    assertThat(read(to)).isEqualTo(utf8("new"));
    assertThat(store().exists(from)).isFalse();
  }

  @Test
  void renameOfAMissingFileFails() {
    assertThatThrownBy(() -> store().rename(uri("ghost"), uri("target")))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining(path("ghost"));
  }

  @Test
  void deleteRemovesAFileAndAcceptsAMissingOne() throws IOException {
    URI file = uri("doomed");
    write(file, utf8("x"));

    store().delete(file);
    store().delete(file);
    store().delete(uri("never-existed"));

    assertThat(store().exists(file)).isFalse();
  }

  @Test
  void deleteRecursivelyRemovesTheTreeAndNothingBeside() throws IOException {
    write(uri("chk-1/a"), utf8("a"));
    write(uri("chk-1/nested/b"), utf8("b"));
    write(uri("chk-10/c"), utf8("c"));
    write(uri("chk-1x"), utf8("d"));

    store().deleteRecursively(uri("chk-1"));
    store().deleteRecursively(uri("chk-1"));
    store().deleteRecursively(uri("never-existed"));

    assertThat(store().exists(uri("chk-1/a"))).isFalse();
    assertThat(store().exists(uri("chk-1/nested/b"))).isFalse();
    assertThat(paths(store().list(dir))).containsExactly(path("chk-10") + "/", path("chk-1x"));
    assertThat(read(uri("chk-10/c"))).isEqualTo(utf8("c"));
  }

  @Test
  void largeFileRoundTrips() throws IOException {
    URI file = uri("large.bin");
    byte[] content = randomBytes(largeFileSize(), 4);
    try (AtomicOutputStream out = store().create(file)) {
      // uneven chunks, so writes straddle buffer and part boundaries
      for (int off = 0; off < content.length; off += 100_003) {
        out.write(content, off, Math.min(100_003, content.length - off));
      }
      out.write(content.length); // one more byte through write(int)
    }
    byte[] expected = java.util.Arrays.copyOf(content, content.length + 1);
    expected[content.length] = (byte) content.length;

    assertThat(store().size(file)).isEqualTo(expected.length);
    assertThat(read(file)).isEqualTo(expected);
    assertNoHiddenLeftovers(dir);
  }

  @Test
  void concurrentWritersToDifferentFilesAllSucceed() throws Exception {
    int writers = 6;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<URI>> written = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        int subtask = i;
        written.add(
            pool.submit(
                () -> {
                  URI file = uri("v_" + subtask + "_0_keyed");
                  write(file, randomBytes(150_000, subtask));
                  return file;
                }));
      }
      for (int i = 0; i < writers; i++) {
        URI file = written.get(i).get(60, TimeUnit.SECONDS);
        assertThat(read(file)).isEqualTo(randomBytes(150_000, i));
      }
      assertThat(store().list(dir)).hasSize(writers);
    } finally {
      pool.shutdownNow();
    }
  }

  protected final URI uri(String relative) {
    return StorageUris.child(dir, relative);
  }

  private String path(String relative) {
    return uri(relative).getPath();
  }

  protected final void write(URI file, byte[] content) throws IOException {
    try (AtomicOutputStream out = store().create(file)) {
      out.write(content);
    }
  }

  protected final byte[] read(URI file) throws IOException {
    try (InputStream in = store().open(file)) {
      return in.readAllBytes();
    }
  }

  private static List<String> paths(List<URI> uris) {
    return uris.stream().map(URI::getPath).toList();
  }

  static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

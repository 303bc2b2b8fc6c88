package io.baton.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

class LocalFileStoreTest extends FileStoreContractTest {
  private final LocalFileStore store = new LocalFileStore();

  @TempDir Path directory;

  @Override
  protected FileStore store() {
    return store;
  }

  @Override
  protected URI baseDirectory() {
    return directory.toUri();
  }

  @Override
  protected void assertNoHiddenLeftovers(URI dir) throws IOException {
    Path path = Path.of(dir);
    if (Files.exists(path)) {
      try (Stream<Path> all = Files.walk(path)) {
        assertThat(all.map(p -> p.getFileName().toString()))
            .noneMatch(name -> name.contains(".tmp-"));
      }
    }
  }
}

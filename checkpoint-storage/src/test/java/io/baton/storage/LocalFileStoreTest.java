package io.baton.storage;

import java.net.URI;
import java.nio.file.Path;
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
}

package io.baton.taskmanager.task;

import io.baton.api.fs.FileSystemAccess;
import io.baton.storage.FileStores;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Connectors' view of the TaskManager's storage: every scheme {@link FileStores} supports. A plain
 * path means a local file.
 */
final class FileStoresAccess implements FileSystemAccess {
  private final FileStores stores;

  FileStoresAccess(FileStores stores) {
    this.stores = stores;
  }

  @Override
  public OutputStream createAtomic(String uri) throws IOException {
    URI path = FileStores.toUri(uri);
    return stores.forUri(path).create(path);
  }

  @Override
  public InputStream open(String uri) throws IOException {
    URI path = FileStores.toUri(uri);
    return stores.forUri(path).open(path);
  }

  @Override
  public boolean exists(String uri) throws IOException {
    URI path = FileStores.toUri(uri);
    return stores.forUri(path).exists(path);
  }

  @Override
  public List<String> list(String directoryUri) throws IOException {
    URI directory = FileStores.toUri(directoryUri);
    List<String> uris = new ArrayList<>();
    for (URI file : stores.forUri(directory).list(directory)) {
      uris.add(file.toString());
    }
    return uris;
  }

  @Override
  public void rename(String fromUri, String toUri) throws IOException {
    URI from = FileStores.toUri(fromUri);
    stores.forUri(from).rename(from, FileStores.toUri(toUri));
  }

  @Override
  public void delete(String uri) throws IOException {
    URI path = FileStores.toUri(uri);
    stores.forUri(path).delete(path);
  }
}

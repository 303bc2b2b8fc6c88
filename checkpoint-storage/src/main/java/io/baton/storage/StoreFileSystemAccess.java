package io.baton.storage;

import io.baton.api.fs.FileSystemAccess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;

/**
 * {@link FileSystemAccess} over Baton's storage, so connectors (the file sink) reach {@code
 * file://}, {@code hdfs://} and {@code s3://} through the same stores as checkpoints. A plain path
 * means a local file.
 */
public final class StoreFileSystemAccess implements FileSystemAccess {
  private final FileStores stores;

  /** Uses, but does not own, {@code stores}: whoever created them closes them. */
  public StoreFileSystemAccess(FileStores stores) {
    this.stores = stores;
  }

  @Override
  public OutputStream createAtomic(String uri) throws IOException {
    URI target = FileStores.toUri(uri);
    return stores.forUri(target).create(target);
  }

  @Override
  public InputStream open(String uri) throws IOException {
    URI source = FileStores.toUri(uri);
    return stores.forUri(source).open(source);
  }

  @Override
  public boolean exists(String uri) throws IOException {
    URI path = FileStores.toUri(uri);
    return stores.forUri(path).exists(path);
  }

  @Override
  public List<String> list(String directoryUri) throws IOException {
    URI directory = FileStores.toUri(directoryUri);
    return stores.forUri(directory).list(directory).stream().map(URI::toString).toList();
  }

  @Override
  public void rename(String fromUri, String toUri) throws IOException {
    URI from = FileStores.toUri(fromUri);
    URI to = FileStores.toUri(toUri);
    FileStore store = stores.forUri(from);
    if (store != stores.forUri(to)) {
      throw new IllegalArgumentException(
          "cannot rename " + fromUri + " to " + toUri + ": they are in different file systems");
    }
    store.rename(from, to);
  }

  @Override
  public void delete(String uri) throws IOException {
    URI path = FileStores.toUri(uri);
    stores.forUri(path).delete(path);
  }
}

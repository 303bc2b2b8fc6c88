package io.baton.api.connectors;

import io.baton.api.fs.FileSystemAccess;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Files as an object store keeps them: whole objects under keys, no directories, listing by key
 * prefix (every key below it, at any depth), rename as copy then delete (refused onto an existing
 * key). Stands in for the S3 storage of a cluster.
 */
final class InMemoryObjectStore implements FileSystemAccess {
  private final Map<String, byte[]> objects = new TreeMap<>();

  /** When set, uploads fail as they complete. */
  boolean uploadsFail;

  @Override
  public OutputStream createAtomic(String uri) {
    return new ByteArrayOutputStream() {
      private boolean closed;

      @Override
      public void close() throws IOException {
        if (!closed) {
          closed = true;
          if (uploadsFail) {
            throw new IOException("upload of " + uri + " failed");
          }
          objects.put(uri, toByteArray()); // the upload completes
        }
      }
    };
  }

  @Override
  public InputStream open(String uri) throws IOException {
    byte[] bytes = objects.get(uri);
    if (bytes == null) {
      throw new FileNotFoundException(uri + " does not exist");
    }
    return new ByteArrayInputStream(bytes);
  }

  @Override
  public boolean exists(String uri) {
    return objects.containsKey(uri);
  }

  @Override
  public List<String> list(String directoryUri) {
    String prefix = directoryUri.endsWith("/") ? directoryUri : directoryUri + "/";
    List<String> keys = new ArrayList<>();
    for (String key : objects.keySet()) {
      if (key.startsWith(prefix)) {
        keys.add(key);
      }
    }
    return keys;
  }

  @Override
  public void rename(String fromUri, String toUri) throws IOException {
    byte[] bytes = objects.get(fromUri);
    if (bytes == null) {
      throw new FileNotFoundException("no such key: " + fromUri);
    }
    if (objects.containsKey(toUri)) {
      throw new java.nio.file.FileAlreadyExistsException(toUri);
    }
    objects.put(toUri, bytes);
    objects.remove(fromUri);
  }

  @Override
  public void delete(String uri) {
    objects.remove(uri);
  }

  /** The first half of a rename: what a crash between copy and delete leaves behind. */
  void copy(String fromUri, String toUri) {
    objects.put(toUri, objects.get(fromUri));
  }

  /** Every key there is. */
  List<String> keys() {
    return List.copyOf(objects.keySet());
  }

  String content(String uri) {
    return new String(objects.get(uri), java.nio.charset.StandardCharsets.UTF_8);
  }
}

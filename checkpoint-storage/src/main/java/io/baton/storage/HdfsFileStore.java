package io.baton.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files on one HDFS namenode ({@code hdfs://host:port/...}) through Hadoop's {@link FileSystem}: a
 * file is written under a hidden temporary name in its directory, hsynced and closed, then renamed
 * over the target, so readers see it complete or not at all.
 */
final class HdfsFileStore implements FileStore {
  private static final Logger LOG = LoggerFactory.getLogger(HdfsFileStore.class);

  private final URI root;
  private final FileSystem fs;

  private HdfsFileStore(URI root, FileSystem fs) {
    this.root = root;
    this.fs = fs;
  }

  /**
   * A store for the namenode of {@code uri} (or {@code fs.defaultFS} when the URI names none). Does
   * not contact the namenode yet: the first operation does, and fails with one line if it is down.
   */
  static HdfsFileStore connect(URI uri, org.apache.hadoop.conf.Configuration conf)
      throws IOException {
    URI root = StorageUris.of(uri.getScheme(), uri.getAuthority(), "/");
    try {
      // a private instance, not Hadoop's JVM-wide cache, so closing this store closes only its own
      return new HdfsFileStore(root, FileSystem.newInstance(root, conf));
    } catch (IOException | RuntimeException e) {
      String reason =
          StorageFailure.isNetworkFailure(e)
              ? reason(root, e)
              : "cannot set up the HDFS client: " + StorageFailure.describe(e);
      throw new StorageFailure(uri, reason, e);
    }
  }

  @Override
  public AtomicOutputStream create(URI path) throws IOException {
    Path target = path(path);
    Path temp = new Path(target.getParent(), StorageUris.inProgressName(target.getName()));
    FSDataOutputStream out;
    try {
      out = fs.create(temp, false);
    } catch (IOException e) {
      throw failure(path, e);
    }
    return new HdfsOutputStream(path, out, temp, target);
  }

  @Override
  public InputStream open(URI path) throws IOException {
    try {
      return fs.open(path(path));
    } catch (FileNotFoundException e) {
      throw new FileNotFoundException(path + " does not exist");
    } catch (IOException e) {
      throw failure(path, e);
    }
  }

  @Override
  public boolean exists(URI path) throws IOException {
    try {
      return fs.exists(path(path));
    } catch (IOException e) {
      throw failure(path, e);
    }
  }

  @Override
  public long size(URI path) throws IOException {
    FileStatus status;
    try {
      status = fs.getFileStatus(path(path));
    } catch (FileNotFoundException e) {
      throw new FileNotFoundException(path + " does not exist");
    } catch (IOException e) {
      throw failure(path, e);
    }
    if (status.isDirectory()) {
      throw new FileNotFoundException(path + " is a directory, not a file");
    }
    return status.getLen();
  }

  @Override
  public List<URI> list(URI directory) throws IOException {
    FileStatus[] statuses;
    try {
      Path dir = path(directory);
      if (!fs.getFileStatus(dir).isDirectory()) {
        return List.of();
      }
      statuses = fs.listStatus(dir);
    } catch (FileNotFoundException e) {
      return List.of();
    } catch (IOException e) {
      throw failure(directory, e);
    }
    String parent = StorageUris.directoryPath(directory);
    List<URI> children = new ArrayList<>();
    for (FileStatus status : statuses) {
      String name = status.getPath().getName();
      if (!StorageUris.isInProgress(name)) {
        String suffix = status.isDirectory() ? "/" : "";
        children.add(
            StorageUris.of(
                directory.getScheme(), directory.getAuthority(), parent + name + suffix));
      }
    }
    children.sort(Comparator.naturalOrder());
    return children;
  }

  @Override
  public void rename(URI from, URI to) throws IOException {
    try {
      renameOver(path(from), path(to));
    } catch (FileNotFoundException e) {
      throw new FileNotFoundException(from + " does not exist");
    } catch (IOException e) {
      throw failure(from, e);
    }
  }

  /** Renames, replacing an existing target in one namenode operation where the client allows it. */
  private void renameOver(Path from, Path to) throws IOException {
    fs.mkdirs(to.getParent());
    if (fs instanceof DistributedFileSystem dfs) {
      dfs.rename(from, to, Options.Rename.OVERWRITE);
      return;
    }
    if (!fs.exists(from)) {
      throw new FileNotFoundException(from.toString());
    }
    fs.delete(to, false);
    if (!fs.rename(from, to)) {
      throw new IOException("rename of " + from + " to " + to + " was refused");
    }
  }

  @Override
  public void delete(URI path) throws IOException {
    try {
      fs.delete(path(path), false);
    } catch (FileNotFoundException e) {
      // already gone
    } catch (IOException e) {
      throw failure(path, e);
    }
  }

  @Override
  public void deleteRecursively(URI directory) throws IOException {
    try {
      fs.delete(path(directory), true);
    } catch (FileNotFoundException e) {
      // already gone
    } catch (IOException e) {
      throw failure(directory, e);
    }
  }

  @Override
  public void close() throws IOException {
    fs.close();
  }

  /** The path within this namenode; the authority was used to pick the store. */
  private static Path path(URI uri) {
    String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
    return new Path(null, null, path);
  }

  private IOException failure(URI uri, IOException e) {
    if (e instanceof StorageFailure) {
      return e;
    }
    return new StorageFailure(uri, reason(root, e), e);
  }

  /** Says whether the namenode could not be reached at all, or what it answered. */
  private static String reason(URI root, Throwable e) {
    if (StorageFailure.isNetworkFailure(e)) {
      return "cannot reach the HDFS namenode at "
          + (root.getAuthority() == null ? "fs.defaultFS" : root.getAuthority())
          + ": "
          + StorageFailure.describe(e);
    }
    return "HDFS at " + root + " failed: " + StorageFailure.describe(e);
  }

  /** Writes to the temporary file; close hsyncs, closes and renames it over the target. */
  private final class HdfsOutputStream extends TemporaryFileOutputStream {
    private final URI uri;
    private final FSDataOutputStream out;
    private final Path temp;
    private final Path target;

    HdfsOutputStream(URI uri, FSDataOutputStream out, Path temp, Path target) {
      super(out, uri.toString());
      this.uri = uri;
      this.out = out;
      this.temp = temp;
      this.target = target;
    }

    @Override
    protected void publish() throws IOException {
      try {
        out.hsync();
        out.close();
        renameOver(temp, target);
      } catch (IOException e) {
        discard();
        throw failure(uri, e);
      }
    }

    @Override
    protected void discard() {
      try {
        out.close();
      } catch (IOException | RuntimeException e) {
        LOG.debug("Closing the discarded temporary file {} failed", temp, e);
      }
      try {
        fs.delete(temp, false);
      } catch (IOException | RuntimeException e) {
        LOG.warn(
            "Could not remove the temporary file {} of {}; it is hidden and can be deleted",
            temp,
            uri,
            e);
      }
    }
  }
}

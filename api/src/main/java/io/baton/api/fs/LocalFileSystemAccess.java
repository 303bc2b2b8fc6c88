package io.baton.api.fs;

import java.io.FileNotFoundException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/** {@link FileSystemAccess} for local files: temporary file, fsync, atomic rename. */
final class LocalFileSystemAccess implements FileSystemAccess {

  @Override
  public OutputStream createAtomic(String uri) throws IOException {
    Path target = path(uri);
    Files.createDirectories(target.toAbsolutePath().getParent());
    Path temp = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    FileChannel channel =
        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    return new FilterOutputStream(java.nio.channels.Channels.newOutputStream(channel)) {
      private boolean closed;

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        if (closed) {
          return;
        }
        closed = true;
        try {
          out.flush();
          channel.force(true);
          out.close();
          Files.move(
              temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          syncParentDirectory(target);
        } catch (IOException e) {
          Files.deleteIfExists(temp);
          throw e;
        }
      }
    };
  }

  @Override
  public InputStream open(String uri) throws IOException {
    try {
      return Files.newInputStream(path(uri));
    } catch (NoSuchFileException e) {
      throw new FileNotFoundException(uri + " does not exist");
    }
  }

  @Override
  public boolean exists(String uri) {
    return Files.exists(path(uri));
  }

  @Override
  public List<String> list(String directoryUri) throws IOException {
    Path dir = path(directoryUri);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.toUri().toString()).sorted().toList();
    }
  }

  @Override
  public void rename(String fromUri, String toUri) throws IOException {
    Path to = path(toUri);
    try {
      Files.move(path(fromUri), to, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      Files.move(
          path(fromUri), to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    syncParentDirectory(to);
  }

  // makes a rename itself durable; not every platform can open a directory for this
  private static void syncParentDirectory(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    try (FileChannel dir = FileChannel.open(parent, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException notSupported) {
      // best effort
    }
  }

  @Override
  public void delete(String uri) throws IOException {
    Files.deleteIfExists(path(uri));
  }

  private static Path path(String uri) {
    if (uri.startsWith("file:")) {
      return Path.of(URI.create(uri));
    }
    if (uri.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
      throw new IllegalArgumentException(
          "only local files are reachable here, not "
              + uri
              + ": run on a Baton cluster for hdfs:// and s3://");
    }
    return Path.of(uri);
  }
}

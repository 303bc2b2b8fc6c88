package io.baton.storage;

import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Files on a local or mounted file system ({@code file://} URIs): written under a hidden temporary
 * name in the target's directory, fsynced, then atomically renamed into place.
 */
final class LocalFileStore implements FileStore {
  private static final int BUFFER_SIZE = 64 * 1024;

  @Override
  public AtomicOutputStream create(URI path) throws IOException {
    Path target = Path.of(path);
    Files.createDirectories(target.toAbsolutePath().getParent());
    Path temp = target.resolveSibling(StorageUris.inProgressName(target.getFileName().toString()));
    FileChannel channel =
        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    return new LocalOutputStream(
        channel,
        new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_SIZE),
        temp,
        target);
  }

  @Override
  public InputStream open(URI path) throws IOException {
    try {
      return Files.newInputStream(Path.of(path));
    } catch (NoSuchFileException e) {
      throw new FileNotFoundException(path + " does not exist");
    }
  }

  @Override
  public boolean exists(URI path) {
    return Files.exists(Path.of(path));
  }

  @Override
  public long size(URI path) throws IOException {
    try {
      return Files.size(Path.of(path));
    } catch (NoSuchFileException e) {
      throw new FileNotFoundException(path + " does not exist");
    }
  }

  @Override
  public List<URI> list(URI directory) throws IOException {
    Path dir = Path.of(directory);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> !StorageUris.isInProgress(p.getFileName().toString()))
          .map(Path::toUri)
          .sorted()
          .toList();
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }

  @Override
  public void rename(URI from, URI to) throws IOException {
    Path target = Path.of(to);
    Files.createDirectories(target.toAbsolutePath().getParent());
    try {
      Files.move(
          Path.of(from),
          target,
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (NoSuchFileException e) {
      throw new FileNotFoundException(from + " does not exist");
    }
  }

  @Override
  public void delete(URI path) throws IOException {
    Files.deleteIfExists(Path.of(path));
  }

  @Override
  public void deleteRecursively(URI directory) throws IOException {
    Path dir = Path.of(directory);
    // Another deleter (a late checkpoint clean-up) may remove parts of the tree while we walk it;
    // the walk then fails on a vanished entry: walk again what is left.
    for (int attempt = 1; Files.exists(dir); attempt++) {
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (NoSuchFileException e) {
        // removed concurrently: look again
        if (attempt >= 5) {
          throw e;
        }
      } catch (UncheckedIOException e) {
        if (!(e.getCause() instanceof NoSuchFileException) || attempt >= 5) {
          throw e.getCause();
        }
      }
    }
  }

  @Override
  public void close() {}

  /** Buffered writes to the temporary file; close fsyncs it and renames it over the target. */
  private static final class LocalOutputStream extends TemporaryFileOutputStream {
    private final FileChannel channel;
    private final OutputStream out;
    private final Path temp;
    private final Path target;

    LocalOutputStream(FileChannel channel, OutputStream out, Path temp, Path target) {
      super(out, target.toUri().toString());
      this.channel = channel;
      this.out = out;
      this.temp = temp;
      this.target = target;
    }

    @Override
    protected void publish() throws IOException {
      try {
        out.flush();
        channel.force(true);
        out.close();
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        channel.close();
        Files.deleteIfExists(temp);
        throw e;
      }
    }

    @Override
    protected void discard() {
      try {
        channel.close();
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // nothing is under the target name either way
      }
    }
  }
}

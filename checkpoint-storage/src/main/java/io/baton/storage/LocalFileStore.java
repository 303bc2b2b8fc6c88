package io.baton.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.UUID;
import java.util.stream.Stream;

/** Files on a local or mounted file system ({@code file://} URIs). */
final class LocalFileStore implements FileStore {

  @Override
  public AtomicOutputStream create(URI path) throws IOException {
    Path target = Path.of(path);
    Files.createDirectories(target.getParent());
    Path temp = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    FileChannel channel =
        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    OutputStream out = Channels.newOutputStream(channel);
    return new AtomicOutputStream() {
      private boolean done;

      @Override
      public void write(int b) throws IOException {
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        if (done) {
          return;
        }
        done = true;
        try {
          channel.force(true);
          out.close();
          Files.move(
              temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
          Files.deleteIfExists(temp);
          throw e;
        }
      }

      @Override
      public void abort() {
        if (done) {
          return;
        }
        done = true;
        try {
          out.close();
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // nothing under the target name either way
        }
      }
    };
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
      return files.map(Path::toUri).sorted().toList();
    }
  }

  @Override
  public void rename(URI from, URI to) throws IOException {
    Path target = Path.of(to);
    Files.createDirectories(target.getParent());
    Files.move(
        Path.of(from), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void delete(URI path) throws IOException {
    Files.deleteIfExists(Path.of(path));
  }

  @Override
  public void deleteRecursively(URI directory) throws IOException {
    Path dir = Path.of(directory);
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Override
  public void close() {}
}

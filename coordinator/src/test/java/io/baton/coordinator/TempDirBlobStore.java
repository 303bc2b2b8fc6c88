package io.baton.coordinator;

import io.baton.coordinator.blob.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** A minimal {@link BlobStore} over a directory, for tests. */
public final class TempDirBlobStore implements BlobStore {
  private final Path dir;

  public TempDirBlobStore(Path dir) {
    this.dir = dir;
  }

  @Override
  public String put(InputStream content, String originalName) throws IOException {
    byte[] bytes = content.readAllBytes();
    String key;
    try {
      key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    Path tmp = Files.createTempFile(dir, "upload", ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, dir.resolve(key + ".jar"), StandardCopyOption.REPLACE_EXISTING);
    return key;
  }

  @Override
  public Path localFile(String key) {
    return dir.resolve(key + ".jar");
  }

  @Override
  public InputStream open(String key) throws IOException {
    return Files.newInputStream(localFile(key));
  }

  @Override
  public boolean contains(String key) {
    return key.matches("[0-9a-f]{64}") && Files.isRegularFile(localFile(key));
  }

  @Override
  public List<StoredJar> list() {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.toString().endsWith(".jar"))
          .map(
              p -> {
                try {
                  String name = p.getFileName().toString();
                  return new StoredJar(
                      name.substring(0, name.length() - 4),
                      name,
                      Files.getLastModifiedTime(p).toMillis(),
                      Files.size(p));
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              })
          .toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void delete(String key) throws IOException {
    Files.deleteIfExists(localFile(key));
  }

  @Override
  public void close() {}
}

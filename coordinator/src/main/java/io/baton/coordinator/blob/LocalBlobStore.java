package io.baton.coordinator.blob;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.common.config.Configuration;
import io.baton.common.config.TmpDirs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps job jars in one local directory: {@code <key>.jar} holds the bytes, {@code <key>.json} the
 * original file name and upload time. A jar is written to a temporary file first and moved into
 * place atomically, so a reader never sees half a jar. Safe to use from several threads: every file
 * appears by an atomic move, and the same key always names the same bytes.
 */
public final class LocalBlobStore implements BlobStore {
  private static final Logger LOG = LoggerFactory.getLogger(LocalBlobStore.class);
  private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");
  private static final String JAR_SUFFIX = ".jar";
  private static final String META_SUFFIX = ".json";

  private final Path directory;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();

  /** A store in {@code directory} (created if missing). */
  public LocalBlobStore(Path directory) throws IOException {
    this(directory, Clock.systemUTC());
  }

  public LocalBlobStore(Path directory, Clock clock) throws IOException {
    this.directory = Files.createDirectories(directory);
    this.clock = clock;
    LOG.info("Job jars are kept in {}", this.directory);
  }

  /** A fresh store in {@code <first of io.tmp.dirs>/baton-jm-blobs-<uuid>}. */
  public static LocalBlobStore inTmpDirs(Configuration configuration) throws IOException {
    return new LocalBlobStore(
        TmpDirs.first(configuration).resolve("baton-jm-blobs-" + UUID.randomUUID()));
  }

  /** The directory the jars are kept in. */
  public Path directory() {
    return directory;
  }

  @Override
  public String put(InputStream content, String originalName) throws IOException {
    Path temp = Files.createTempFile(directory, "upload-", ".tmp");
    try {
      MessageDigest sha256 = sha256();
      long size;
      try (InputStream in = new DigestInputStream(content, sha256);
          OutputStream out = Files.newOutputStream(temp)) {
        size = in.transferTo(out);
      }
      String key = HexFormat.of().formatHex(sha256.digest());
      moveAtomically(temp, jarFile(key));
      writeMetadata(key, new Metadata(originalName, clock.millis()));
      LOG.info("Stored jar {} ({} bytes) as {}", originalName, size, key);
      return key;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @Override
  public Path localFile(String key) throws IOException {
    Path file = jarFile(checkKey(key));
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException("no jar with key " + key);
    }
    return file;
  }

  @Override
  public InputStream open(String key) throws IOException {
    return Files.newInputStream(localFile(key));
  }

  @Override
  public boolean contains(String key) {
    return key != null && KEY.matcher(key).matches() && Files.isRegularFile(jarFile(key));
  }

  @Override
  public List<StoredJar> list() {
    List<StoredJar> jars = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + JAR_SUFFIX)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        String key = name.substring(0, name.length() - JAR_SUFFIX.length());
        if (KEY.matcher(key).matches()) {
          storedJar(key, file).ifPresent(jars::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list jars in " + directory, e);
    }
    jars.sort(Comparator.comparingLong(StoredJar::uploaded).reversed());
    return jars;
  }

  @Override
  public void delete(String key) throws IOException {
    Path jar = localFile(key);
    Files.deleteIfExists(metadataFile(key));
    Files.deleteIfExists(jar);
    LOG.info("Deleted jar {}", key);
  }

  /** Keeps the files: jobs may still need their jars (their removal comes with job cleanup). */
  @Override
  public void close() {}

  private Optional<StoredJar> storedJar(String key, Path file) {
    try {
      long size = Files.size(file);
      Metadata meta = readMetadata(key, file);
      return Optional.of(new StoredJar(key, meta.name(), meta.uploaded(), size));
    } catch (NoSuchFileException deletedMeanwhile) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read jar " + file, e);
    }
  }

  private Metadata readMetadata(String key, Path jar) throws IOException {
    Path meta = metadataFile(key);
    try {
      return json.readValue(meta.toFile(), Metadata.class);
    } catch (IOException missingOrDamaged) {
      // the jar is complete (it appeared by an atomic move); only its name is unknown
      return new Metadata(key + JAR_SUFFIX, Files.getLastModifiedTime(jar).toMillis());
    }
  }

  private void writeMetadata(String key, Metadata metadata) throws IOException {
    Path temp = Files.createTempFile(directory, "meta-", ".tmp");
    try {
      json.writeValue(temp.toFile(), metadata);
      moveAtomically(temp, metadataFile(key));
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private Path jarFile(String key) {
    return directory.resolve(key + JAR_SUFFIX);
  }

  private Path metadataFile(String key) {
    return directory.resolve(key + META_SUFFIX);
  }

  private static String checkKey(String key) throws NoSuchFileException {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new NoSuchFileException("no jar with key " + key + ": a key is 64 hex digits");
    }
    return key;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  /** The sidecar of a jar. */
  record Metadata(String name, long uploaded) {}
}

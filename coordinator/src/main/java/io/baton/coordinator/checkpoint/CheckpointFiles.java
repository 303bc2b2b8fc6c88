package io.baton.coordinator.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.baton.common.config.ErrorLines;
import io.baton.storage.AtomicOutputStream;
import io.baton.storage.ConfinedDirectory;
import io.baton.storage.FileStore;
import io.baton.storage.FileStores;
import io.baton.storage.OutsideStorageException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads and writes checkpoint directories through {@link FileStores}: the {@code _metadata} file,
 * verification of every state file it names, and deletion. Every call blocks on storage, so callers
 * run them off their main thread.
 */
public final class CheckpointFiles {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final FileStores fileStores;

  public CheckpointFiles(FileStores fileStores) {
    this.fileStores = fileStores;
  }

  /** A directory URI that ends with a slash, so that names resolve inside it. */
  public static URI asDirectory(URI directory) {
    String s = directory.toString();
    return s.endsWith("/") ? directory : URI.create(s + "/");
  }

  public static URI metadataFile(URI directory) {
    return asDirectory(directory).resolve(CheckpointMetadata.FILE_NAME);
  }

  /** Publishes {@code <directory>/_metadata} atomically. */
  public void writeMetadata(URI directory, CheckpointMetadata metadata) throws IOException {
    URI file = metadataFile(directory);
    FileStore store = fileStores.forUri(file);
    AtomicOutputStream out = store.create(file);
    try {
      JSON.writeValue(new NonClosing(out), metadata);
      out.close();
    } catch (IOException | RuntimeException e) {
      out.abort();
      throw e;
    }
  }

  /**
   * Reads the metadata of a checkpoint or savepoint directory (or of its {@code _metadata} file).
   *
   * @throws IOException whose message says what is wrong, without the path
   */
  public CheckpointMetadata readMetadata(URI location) throws IOException {
    URI file =
        location.getPath() != null
                && location.getPath().endsWith("/" + CheckpointMetadata.FILE_NAME)
            ? location
            : metadataFile(location);
    FileStore store = fileStores.forUri(file);
    try (InputStream in = store.open(file)) {
      JsonNode tree = JSON.readTree(in);
      int version = tree == null ? -1 : tree.path("format_version").asInt(-1);
      if (version == -1) {
        throw new IOException(
            CheckpointMetadata.FILE_NAME + " is not checkpoint metadata: no format_version");
      }
      if (version != CheckpointMetadata.FORMAT_VERSION) {
        throw new IOException(
            CheckpointMetadata.FILE_NAME
                + " has format version "
                + version
                + "; this Baton reads version "
                + CheckpointMetadata.FORMAT_VERSION);
      }
      return JSON.treeToValue(tree, CheckpointMetadata.class);
    } catch (FileNotFoundException e) {
      throw new IOException("no " + CheckpointMetadata.FILE_NAME + " file", e);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IOException(
          CheckpointMetadata.FILE_NAME
              + " is not checkpoint metadata: "
              + ErrorLines.firstLine(e.getOriginalMessage()),
          e);
    }
  }

  /**
   * The directory of a checkpoint or savepoint location: the location itself, or the folder of a
   * {@code _metadata} file.
   */
  public static URI directoryOf(URI location) {
    String path = location.getPath();
    if (path != null && path.endsWith("/" + CheckpointMetadata.FILE_NAME)) {
      return location.resolve(".");
    }
    return asDirectory(location);
  }

  /**
   * Checks that every state file the metadata names lies inside {@code directory}, its checkpoint
   * or savepoint directory, before anything reads or deletes one.
   *
   * @return the state files, normalized, in the order of the metadata
   * @throws OutsideStorageException one line naming the metadata file and the first state file
   *     outside
   */
  public static List<URI> confinedStateFiles(URI directory, CheckpointMetadata metadata)
      throws OutsideStorageException {
    ConfinedDirectory confinement =
        ConfinedDirectory.of(directoryOf(directory), "its checkpoint directory");
    String source = "a state handle in " + metadataFile(directoryOf(directory));
    List<URI> files = new ArrayList<>();
    for (CheckpointMetadata.Handle h : metadata.state()) {
      files.add(confinement.confine(h.path(), source));
    }
    return files;
  }

  /**
   * Checks that every state file the metadata names lies inside {@code directory} and is there with
   * its size and CRC32C, streaming each file once.
   *
   * @throws OutsideStorageException when a state file lies outside {@code directory} (none is read)
   * @throws IOException naming the first file that is missing, short or corrupt
   */
  public void verify(URI directory, CheckpointMetadata metadata) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    List<URI> paths = confinedStateFiles(directory, metadata);
    for (int i = 0; i < paths.size(); i++) {
      CheckpointMetadata.Handle h = metadata.state().get(i);
      URI path = paths.get(i);
      FileStore store = fileStores.forUri(path);
      if (!store.exists(path)) {
        throw new IOException("state file " + h.path() + " is missing");
      }
      long size = store.size(path);
      if (size != h.size()) {
        throw new IOException(
            "state file " + h.path() + " has " + size + " bytes, expected " + h.size());
      }
      CRC32C crc = new CRC32C();
      try (InputStream in = store.open(path)) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          crc.update(buffer, 0, n);
        }
      }
      if (crc.getValue() != h.checksum()) {
        throw new IOException(
            "state file "
                + h.path()
                + " is corrupt: CRC32C "
                + Long.toHexString(crc.getValue())
                + ", expected "
                + Long.toHexString(h.checksum()));
      }
    }
  }

  /** Deletes a checkpoint or savepoint directory; a missing one is fine. */
  public void deleteDirectory(URI directory) throws IOException {
    FileStore store = fileStores.forUri(directory);
    for (int attempt = 1; ; attempt++) {
      try {
        store.deleteRecursively(directory);
        return;
      } catch (IOException | java.io.UncheckedIOException e) {
        // another deletion (a retained checkpoint inside a job's directory) removed part of the
        // tree while this one walked it: walk what is left again
        if (attempt >= 3 || !removedMeanwhile(e)) {
          throw e;
        }
      }
    }
  }

  private static boolean removedMeanwhile(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.nio.file.NoSuchFileException) {
        return true;
      }
    }
    return false;
  }

  /** Keeps Jackson from closing the atomic stream: closing publishes, which we do ourselves. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(java.io.OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}

package io.baton.ha.zookeeper;

import io.baton.common.config.HighAvailabilityOptions;
import io.baton.storage.AtomicOutputStream;
import io.baton.storage.ConfinedDirectory;
import io.baton.storage.FileStore;
import io.baton.storage.FileStores;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.curator.utils.ZKPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entries that are a file in the storage directory plus a znode whose data is the file's URI (rule
 * 1 of the ZooKeeper safety rules, docs/architecture.md): the file is published completely before
 * its pointer is created, and removed only after its pointer is gone (rule 6). Files get unique
 * names, so a replaced entry's old file is never overwritten while a pointer may still name it. All
 * pointer writes are fenced by {@link FencedZooKeeper}.
 *
 * <p>A pointer is input from outside: one naming a file outside this store's directory (an absolute
 * path elsewhere, a {@code ../} escape, another scheme or bucket) is refused with one line naming
 * the znode and the file, and that file is never read nor deleted.
 */
final class FilePointerStore {
  private static final Logger LOG = LoggerFactory.getLogger(FilePointerStore.class);

  /** Writes an entry's content. */
  @FunctionalInterface
  interface ContentWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Reads an entry's content; throws on content it cannot understand. */
  @FunctionalInterface
  interface ContentReader<T> {
    T readFrom(InputStream in) throws IOException;
  }

  private final FencedZooKeeper zooKeeper;
  private final String znode;
  private final FileStores fileStores;
  private final URI directory;
  private final ConfinedDirectory confinement;
  private final String filePrefix;

  /**
   * @param znode the parent of this store's pointers
   * @param directory the folder of this store's files
   * @param filePrefix put before each file's name, for stores that share a folder
   */
  FilePointerStore(
      FencedZooKeeper zooKeeper,
      String znode,
      FileStores fileStores,
      URI directory,
      String filePrefix) {
    this.zooKeeper = zooKeeper;
    this.znode = znode;
    this.fileStores = fileStores;
    this.directory = directory;
    this.confinement = confinementOf(directory);
    this.filePrefix = filePrefix;
  }

  /** The files of one kind of entry: {@code <storageDir>/<cluster-id>/<kind>/}. */
  static ConfinedDirectory confinementOf(URI kindDirectory) {
    return ConfinedDirectory.of(kindDirectory, HighAvailabilityOptions.STORAGE_DIR.key());
  }

  String pathOf(String name) {
    return ZKPaths.makePath(znode, name);
  }

  URI directory() {
    return directory;
  }

  /** Adds or replaces the entry {@code name}: new file, pointer, then the old file goes. */
  void put(String name, ContentWriter content) throws IOException {
    URI file = writeFile(name, content);
    Optional<byte[]> previous;
    try {
      previous = zooKeeper.put(pathOf(name), uriBytes(file));
    } catch (IOException | RuntimeException e) {
      deleteFileQuietly(file, "its pointer " + pathOf(name) + " was not written");
      throw e;
    }
    previous
        .flatMap(data -> parseUri(data).filter(old -> !old.equals(file)))
        .ifPresent(old -> deleteConfined(name, old, "was replaced"));
  }

  /**
   * Adds the entry {@code name} unless there is one.
   *
   * @return whether this call added it
   */
  boolean putIfAbsent(String name, ContentWriter content) throws IOException {
    if (zooKeeper.exists(pathOf(name))) {
      return false;
    }
    URI file = writeFile(name, content);
    boolean created;
    try {
      created = zooKeeper.createIfAbsent(pathOf(name), uriBytes(file));
    } catch (IOException | RuntimeException e) {
      deleteFileQuietly(file, "its pointer " + pathOf(name) + " was not written");
      throw e;
    }
    if (!created) {
      // A retried request that had gone through finds its own pointer: that file stays.
      boolean ours =
          zooKeeper
              .read(pathOf(name))
              .flatMap(FilePointerStore::parseUri)
              .filter(file::equals)
              .isPresent();
      if (ours) {
        return true;
      }
      deleteFileQuietly(file, "another writer created " + pathOf(name) + " first");
    }
    return created;
  }

  /**
   * The content of entry {@code name}; empty when there is no pointer.
   *
   * @throws IOException naming the pointer's path and the file when the pointer is garbled, or the
   *     file is gone or cannot be read
   */
  <T> Optional<T> get(String name, ContentReader<T> reader) throws IOException {
    String path = pathOf(name);
    Optional<byte[]> data = zooKeeper.read(path);
    if (data.isEmpty()) {
      return Optional.empty();
    }
    URI file =
        parseUri(data.get())
            .orElseThrow(
                () ->
                    new IOException(
                        "Pointer "
                            + path
                            + " holds '"
                            + abbreviate(new String(data.get(), StandardCharsets.UTF_8))
                            + "', not a file URI"));
    file = confinement.confine(file, "Pointer " + path);
    try (InputStream in = fileStores.forUri(file).open(file)) {
      return Optional.of(reader.readFrom(in));
    } catch (FileNotFoundException e) {
      throw new IOException("Pointer " + path + " names " + file + ", which is gone", e);
    } catch (IOException | RuntimeException e) {
      throw new IOException(
          "Pointer " + path + " names " + file + ", which cannot be read: " + e.getMessage(), e);
    }
  }

  boolean contains(String name) throws IOException {
    return zooKeeper.exists(pathOf(name));
  }

  /** The names of all entries, sorted. */
  List<String> names() throws IOException {
    return zooKeeper.children(znode).stream().sorted().toList();
  }

  /**
   * Removes entry {@code name}: pointer first (fenced), file second. A file that cannot be deleted
   * is logged and left for {@link #removeUnreferencedFiles}.
   *
   * @return whether there was an entry
   */
  boolean remove(String name) throws IOException {
    Optional<byte[]> removed = zooKeeper.delete(pathOf(name));
    removed
        .flatMap(FilePointerStore::parseUri)
        .ifPresent(file -> deleteConfined(name, file, "was removed"));
    return removed.isPresent();
  }

  /**
   * The file names (last path segments) the pointers under {@code znode}'s subtree name, up to
   * {@code depth} levels below it (1: direct children).
   */
  static Set<String> referencedFileNames(FencedZooKeeper zooKeeper, String znode, int depth)
      throws IOException {
    Set<String> names = new HashSet<>();
    for (String child : zooKeeper.children(znode)) {
      String path = ZKPaths.makePath(znode, child);
      if (depth > 1) {
        names.addAll(referencedFileNames(zooKeeper, path, depth - 1));
      } else {
        zooKeeper
            .read(path)
            .flatMap(FilePointerStore::parseUri)
            .map(u -> fileName(u.getPath()))
            .ifPresent(names::add);
      }
    }
    return names;
  }

  /**
   * Deletes the files of {@code files} (a listing of {@code directory}) whose names are not in
   * {@code referenced}; only ever inside {@code directory}.
   *
   * @return how many it deleted
   */
  static int removeUnreferencedFiles(
      FileStores fileStores, ConfinedDirectory directory, List<URI> files, Set<String> referenced)
      throws IOException {
    int deleted = 0;
    for (URI listed : files) {
      String name = fileName(listed.getPath());
      if (listed.getPath().endsWith("/") || referenced.contains(name)) {
        continue;
      }
      Optional<URI> inside = directory.resolve(listed);
      if (inside.isEmpty()) {
        LOG.warn("Not deleting {}: the listing of {} named a file outside it", listed, directory);
        continue;
      }
      URI file = inside.get();
      LOG.info("Deleting {}: no pointer names it (left by an interrupted write or removal)", file);
      fileStores.forUri(file).delete(file);
      deleted++;
    }
    return deleted;
  }

  private URI writeFile(String name, ContentWriter content) throws IOException {
    URI file = child(directory, filePrefix + name + "-" + UUID.randomUUID());
    FileStore store = fileStores.forUri(file);
    AtomicOutputStream out = store.create(file);
    try {
      content.writeTo(out);
      out.close();
    } catch (IOException | RuntimeException e) {
      out.abort();
      throw new IOException("Cannot write " + file + ": " + e.getMessage(), e);
    }
    return file;
  }

  /** Deletes the file a removed or replaced pointer named, if it lies in this store's directory. */
  private void deleteConfined(String name, URI file, String what) {
    Optional<URI> inside = confinement.resolve(file);
    if (inside.isEmpty()) {
      LOG.warn(
          "Pointer {} {}; the file it named, {}, is outside {} and stays: not deleted",
          pathOf(name),
          what,
          file,
          confinement);
      return;
    }
    deleteFileQuietly(inside.get(), "its pointer " + pathOf(name) + " " + what);
  }

  private void deleteFileQuietly(URI file, String why) {
    try {
      fileStores.forUri(file).delete(file);
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Could not delete {} ({}); the next leader's clean-up removes it: {}",
          file,
          why,
          e.getMessage());
    }
  }

  /** {@code directory/name}, whatever the scheme. */
  static URI child(URI directory, String name) {
    String path =
        directory.getPath() == null || directory.getPath().isEmpty() ? "/" : directory.getPath();
    path = path.endsWith("/") ? path : path + "/";
    try {
      return new URI(directory.getScheme(), directory.getAuthority(), path + name, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot name " + name + " under " + directory, e);
    }
  }

  private static String fileName(String path) {
    String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }

  private static byte[] uriBytes(URI file) {
    return file.toString().getBytes(StandardCharsets.UTF_8);
  }

  static Optional<URI> parseUri(byte[] data) {
    try {
      URI uri = new URI(new String(data, StandardCharsets.UTF_8).trim());
      return uri.getScheme() == null || uri.getPath() == null || uri.getPath().isEmpty()
          ? Optional.empty()
          : Optional.of(uri);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "...";
  }
}

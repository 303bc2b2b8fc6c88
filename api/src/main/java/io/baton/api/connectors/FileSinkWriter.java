package io.baton.api.connectors;

import io.baton.api.connector.SinkWriter;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One subtask's writer of a {@link FileSink}: a two-phase commit over file renames. Written lines
 * go to the current in-progress file; {@link #snapshotState} closes it durably and lists it as
 * pending for that checkpoint; {@link #notifyCheckpointComplete} renames the pending files into
 * view.
 */
final class FileSinkWriter<T> implements SinkWriter<T> {
  private static final int STATE_VERSION = 1;
  private static final int BUFFER_SIZE = 64 * 1024;

  private final Path directory;
  private final RecordFormatter<T> formatter;
  private final int subtask;
  private final Pattern ownFile;

  /** Files closed by a checkpoint and not yet committed, by checkpoint id. */
  private final TreeMap<Long, List<PendingFile>> pending = new TreeMap<>();

  private int nextPart;
  private boolean opened;
  private OpenFile current;

  /** A closed in-progress file and the name it gets when committed. */
  record PendingFile(String inProgressName, String finalName) {}

  private record OpenFile(PendingFile names, FileChannel channel, OutputStream out) {}

  FileSinkWriter(Path directory, RecordFormatter<T> formatter, int subtask) {
    this.directory = directory;
    this.formatter = formatter;
    this.subtask = subtask;
    this.ownFile = Pattern.compile("\\.?part-" + subtask + "-(\\d+)(\\.inprogress\\..*)?");
  }

  @Override
  public void open() throws IOException {
    if (opened) {
      return;
    }
    Files.createDirectories(directory);
    // never reuse a part number: an earlier attempt may have committed (or may yet commit) it
    nextPart = Math.max(nextPart, highestOwnPartNumber() + 1);
    opened = true;
  }

  @Override
  public void write(T record) throws Exception {
    if (current == null) {
      current = startFile();
    }
    current.out().write(formatter.format(record).getBytes(StandardCharsets.UTF_8));
    current.out().write('\n');
  }

  @Override
  public byte[] snapshotState(long checkpointId) throws IOException {
    if (current != null) {
      pending.computeIfAbsent(checkpointId, id -> new ArrayList<>()).add(closeCurrent());
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(STATE_VERSION);
    out.writeInt(nextPart);
    List<PendingFile> all = pending.values().stream().flatMap(List::stream).toList();
    out.writeInt(all.size());
    for (PendingFile file : all) {
      out.writeUTF(file.inProgressName());
      out.writeUTF(file.finalName());
    }
    out.flush();
    return bytes.toByteArray();
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) throws IOException {
    // a completed checkpoint subsumes earlier ones whose notification never came
    Map<Long, List<PendingFile>> done = pending.headMap(checkpointId, true);
    for (List<PendingFile> files : done.values()) {
      for (PendingFile file : files) {
        commit(file);
      }
    }
    done.clear();
  }

  @Override
  public void restoreState(byte[] state) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(state));
    int version = in.readInt();
    if (version != STATE_VERSION) {
      throw new IOException("file sink state has unknown version " + version);
    }
    int restoredNextPart = in.readInt();
    int count = in.readInt();
    List<PendingFile> files = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      files.add(new PendingFile(in.readUTF(), in.readUTF()));
    }
    Files.createDirectories(directory);
    // the restored checkpoint completed, so everything it pre-committed is committed now
    for (PendingFile file : files) {
      commit(file);
    }
    deleteInProgressFilesOfThisSubtask();
    nextPart = Math.max(nextPart, restoredNextPart);
  }

  @Override
  public void finish() throws IOException {
    open();
    for (List<PendingFile> files : pending.values()) {
      for (PendingFile file : files) {
        commit(file);
      }
    }
    pending.clear();
    if (current != null) {
      commit(closeCurrent());
    }
  }

  @Override
  public void close() throws IOException {
    if (current != null) {
      // belongs to no checkpoint: nothing can ever commit it
      OpenFile file = current;
      current = null;
      try {
        file.out().close();
      } finally {
        Files.deleteIfExists(directory.resolve(file.names().inProgressName()));
      }
    }
  }

  private OpenFile startFile() throws IOException {
    open();
    int part = nextPart++;
    String finalName = "part-" + subtask + "-" + part;
    PendingFile names =
        new PendingFile("." + finalName + ".inprogress." + UUID.randomUUID(), finalName);
    FileChannel channel =
        FileChannel.open(
            directory.resolve(names.inProgressName()),
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
    return new OpenFile(
        names, channel, new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_SIZE));
  }

  /** Flushes and fsyncs the current file, so a later commit publishes complete content. */
  private PendingFile closeCurrent() throws IOException {
    OpenFile file = current;
    current = null;
    file.out().flush();
    file.channel().force(true);
    file.out().close();
    return file.names();
  }

  /** Renames a pending file into view; a file already renamed (by an earlier attempt) is fine. */
  private void commit(PendingFile file) throws IOException {
    Path from = directory.resolve(file.inProgressName());
    Path to = directory.resolve(file.finalName());
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      if (!Files.exists(to)) {
        throw new IOException(
            "cannot commit '"
                + to
                + "': its in-progress file '"
                + file.inProgressName()
                + "' is gone",
            e);
      }
    }
    syncDirectory();
  }

  // makes the rename itself durable; not every platform can open a directory for this
  private void syncDirectory() {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException notSupported) {
      // best effort
    }
  }

  private void deleteInProgressFilesOfThisSubtask() throws IOException {
    Set<Path> stale = new HashSet<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        Matcher m = ownFile.matcher(file.getFileName().toString());
        if (m.matches() && m.group(2) != null) {
          stale.add(file);
        }
      }
    }
    for (Path file : stale) {
      Files.deleteIfExists(file);
    }
  }

  private int highestOwnPartNumber() throws IOException {
    int highest = -1;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        Matcher m = ownFile.matcher(file.getFileName().toString());
        if (m.matches()) {
          highest = Math.max(highest, Integer.parseInt(m.group(1)));
        }
      }
    }
    return highest;
  }
}

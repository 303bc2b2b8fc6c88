package io.baton.api.connectors;

import io.baton.api.connector.SinkWriter;
import io.baton.api.fs.FileSystemAccess;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One subtask's writer of a {@link FileSink}: a two-phase commit over file renames. Written lines
 * go to the current in-progress file {@code <dir>/.inprogress/part-<subtask>-<n>-<uuid>}; {@link
 * #snapshotState} closes it (it is then complete in the store) and lists it as pending for that
 * checkpoint; {@link #notifyCheckpointComplete} renames the pending files to {@code
 * <dir>/part-<subtask>-<n>}. Nothing here needs directories, so an S3 key prefix works as well as a
 * directory.
 */
final class FileSinkWriter<T> implements SinkWriter<T> {
  static final String IN_PROGRESS = ".inprogress";
  private static final int STATE_VERSION = 2;
  private static final int BUFFER_SIZE = 64 * 1024;
  private static final Pattern COMMITTED = Pattern.compile("part-(\\d+)-(\\d+)");
  // the leading dot: a local store's temporary file of an in-progress file not yet closed
  private static final Pattern IN_PROGRESS_FILE = Pattern.compile("\\.?part-(\\d+)-(\\d+)-.+");

  private final FileSystemAccess fileSystem;
  private final String directory;
  private final RecordFormatter<T> formatter;
  private final int subtask;
  private final int parallelism;

  /** Files closed by a checkpoint and not yet committed, by checkpoint id. */
  private final TreeMap<Long, List<PendingFile>> pending = new TreeMap<>();

  private int nextPart;
  private boolean opened;
  private OpenFile current;

  /** Set when an in-progress file could not be closed: its records are lost to this attempt. */
  private IOException broken;

  /**
   * A closed in-progress file and the name it gets when committed, both relative to the output
   * directory.
   */
  record PendingFile(String inProgressName, String finalName) {}

  private record OpenFile(PendingFile names, Utf8LineOutput out) {}

  /** What one subtask's state says. */
  private record State(int subtask, int parallelism, int nextPart, List<PendingFile> files) {}

  /**
   * @param directory a plain path or a URI; files go directly under it
   */
  FileSinkWriter(
      FileSystemAccess fileSystem,
      String directory,
      RecordFormatter<T> formatter,
      int subtask,
      int parallelism) {
    this.fileSystem = fileSystem;
    this.directory = directory.length() > 1 ? stripTrailingSlashes(directory) : directory;
    this.formatter = formatter;
    this.subtask = subtask;
    this.parallelism = parallelism;
  }

  private static String stripTrailingSlashes(String directory) {
    String stripped = directory;
    while (stripped.endsWith("/") && !stripped.endsWith("://")) {
      stripped = stripped.substring(0, stripped.length() - 1);
    }
    return stripped;
  }

  @Override
  public void open() throws IOException {
    if (opened) {
      return;
    }
    // never reuse a part number: an earlier attempt may have committed (or may yet commit) it
    nextPart = Math.max(nextPart, highestPartNumberOf(subtask) + 1);
    opened = true;
  }

  @Override
  public void write(T record) throws Exception {
    checkNotBroken();
    if (current == null) {
      current = startFile();
    }
    current.out().writeLine(formatter.format(record));
  }

  @Override
  public byte[] snapshotState(long checkpointId) throws IOException {
    checkNotBroken();
    if (current != null) {
      pending.computeIfAbsent(checkpointId, id -> new ArrayList<>()).add(closeCurrent());
    }
    List<PendingFile> all = pending.values().stream().flatMap(List::stream).toList();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(STATE_VERSION);
    out.writeInt(subtask);
    out.writeInt(parallelism);
    out.writeInt(nextPart);
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
    State restored = parse(state);
    if (restored.subtask() != subtask) {
      throw new IllegalArgumentException(
          "file sink state of subtask "
              + restored.subtask()
              + " cannot be restored into subtask "
              + subtask
              + " without rescaling");
    }
    // the restored checkpoint completed, so everything it pre-committed is committed now
    for (PendingFile file : restored.files()) {
      commit(file);
    }
    dropCommittedAfter(restored);
    nextPart = Math.max(nextPart, restored.nextPart());
    dropInProgressFiles();
  }

  /**
   * Deletes the parts a writer committed after the restored checkpoint (numbered from its next part
   * on): the sources replay those records from the checkpoint, so keeping them would count them
   * twice. This happens when a restore falls back past a damaged newer checkpoint whose output was
   * already committed, or when a job is resumed from an older savepoint.
   */
  private void dropCommittedAfter(State restored) throws IOException {
    for (String file : fileSystem.list(directory)) {
      if (partNumber(COMMITTED.matcher(lastSegment(file)), restored.subtask())
          >= restored.nextPart()) {
        fileSystem.delete(file);
      }
    }
  }

  /**
   * Takes over the previous subtasks {@code i} with {@code i % parallelism == subtask}: commits
   * their pending files and deletes their other in-progress files. The committed names keep the
   * previous subtask's index, and this subtask's own files carry its own, so no two subtasks ever
   * write the same name.
   */
  @Override
  public void restoreRescaledState(List<byte[]> previousStates) throws IOException {
    for (int previous = subtask; previous < previousStates.size(); previous += parallelism) {
      State restored = parse(previousStates.get(previous));
      if (restored.subtask() != previous) {
        throw new IllegalArgumentException(
            "previous file sink state "
                + previous
                + " belongs to subtask "
                + restored.subtask()
                + " of "
                + restored.parallelism());
      }
      for (PendingFile file : restored.files()) {
        commit(file);
      }
      dropCommittedAfter(restored);
      if (previous == subtask) {
        nextPart = Math.max(nextPart, restored.nextPart());
      }
    }
    dropInProgressFiles();
  }

  @Override
  public void finish() throws IOException {
    checkNotBroken();
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
        fileSystem.delete(uri(file.names().inProgressName()));
      }
    }
  }

  private OpenFile startFile() throws IOException {
    open();
    int part = nextPart++;
    String finalName = "part-" + subtask + "-" + part;
    PendingFile names =
        new PendingFile(IN_PROGRESS + "/" + finalName + "-" + UUID.randomUUID(), finalName);
    OutputStream out = fileSystem.createAtomic(uri(names.inProgressName()));
    return new OpenFile(names, new Utf8LineOutput(out, BUFFER_SIZE));
  }

  /** Closes the current file, so it is complete in the store and a commit publishes all of it. */
  private PendingFile closeCurrent() throws IOException {
    OpenFile file = current;
    current = null;
    try {
      file.out().close();
    } catch (IOException e) {
      // its records cannot be committed any more: only a restore brings them back
      broken =
          new IOException(
              "in-progress file '"
                  + uri(file.names().inProgressName())
                  + "' could not be closed; its records are lost to this attempt",
              e);
      throw broken;
    }
    return file.names();
  }

  private void checkNotBroken() throws IOException {
    if (broken != null) {
      throw new IOException("the file sink cannot continue: " + broken.getMessage(), broken);
    }
  }

  /** Renames a pending file into view; a file already renamed (by an earlier attempt) is fine. */
  private void commit(PendingFile file) throws IOException {
    String from = uri(file.inProgressName());
    String to = uri(file.finalName());
    try {
      fileSystem.rename(from, to);
    } catch (IOException e) {
      if (fileSystem.exists(to)) {
        // committed before; names are never reused, so it is this file (a store that renames by
        // copy and delete may have stopped before the delete)
        fileSystem.delete(from);
        return;
      }
      throw new IOException(
          "cannot commit '"
              + to
              + "': "
              + (fileSystem.exists(from)
                  ? e.getMessage()
                  : "its in-progress file '" + from + "' is gone"),
          e);
    }
  }

  /**
   * Deletes the in-progress files no restored checkpoint needs, of every writer whose leftovers
   * fall to this subtask (itself, and after a rescale the previous subtasks it took over), after
   * counting this subtask's among the part numbers not to reuse.
   */
  private void dropInProgressFiles() throws IOException {
    nextPart = Math.max(nextPart, highestPartNumberOf(subtask) + 1);
    for (String file : fileSystem.list(uri(IN_PROGRESS))) {
      Matcher m = IN_PROGRESS_FILE.matcher(lastSegment(file));
      if (m.matches() && Integer.parseInt(m.group(1)) % parallelism == subtask) {
        fileSystem.delete(file);
      }
    }
  }

  private int highestPartNumberOf(int writer) throws IOException {
    int highest = -1;
    for (String file : fileSystem.list(directory)) {
      highest = Math.max(highest, partNumber(COMMITTED.matcher(lastSegment(file)), writer));
    }
    for (String file : fileSystem.list(uri(IN_PROGRESS))) {
      highest = Math.max(highest, partNumber(IN_PROGRESS_FILE.matcher(lastSegment(file)), writer));
    }
    return highest;
  }

  private static int partNumber(Matcher m, int writer) {
    if (m.matches() && Integer.parseInt(m.group(1)) == writer) {
      return Integer.parseInt(m.group(2));
    }
    return -1;
  }

  private static String lastSegment(String uri) {
    String path = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private String uri(String relativeName) {
    return directory.endsWith("/") ? directory + relativeName : directory + "/" + relativeName;
  }

  private static State parse(byte[] state) throws IOException {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(state));
      int version = in.readInt();
      if (version != STATE_VERSION) {
        throw new IOException(
            "file sink state has unknown version " + version + ", expected " + STATE_VERSION);
      }
      int writer = in.readInt();
      int writers = in.readInt();
      int nextPart = in.readInt();
      int count = in.readInt();
      List<PendingFile> files = new ArrayList<>(Math.min(count, 1024));
      for (int i = 0; i < count; i++) {
        files.add(new PendingFile(in.readUTF(), in.readUTF()));
      }
      return new State(writer, writers, nextPart, files);
    } catch (EOFException e) {
      throw new IOException("file sink state is cut short (" + state.length + " bytes)", e);
    }
  }
}

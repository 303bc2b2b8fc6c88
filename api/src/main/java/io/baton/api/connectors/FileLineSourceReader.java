package io.baton.api.connectors;

import io.baton.api.connector.InputStatus;
import io.baton.api.connector.SourceReader;
import io.baton.api.fs.FileSystemAccess;
import io.baton.api.functions.Collector;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.List;

/** One subtask's share of a {@link FileLineSource}. */
final class FileLineSourceReader implements SourceReader<String> {
  static final int MAX_BATCH = 64;
  private static final String WHAT = "file source";
  private static final SubtaskAssigner BY_LINE_NUMBER = SubtaskAssigner.roundRobin();

  private final FileSystemAccess fileSystem;
  private final String path;
  private final int subtask;
  private final int parallelism;
  private BufferedReader reader;

  /** Lines read from the file so far, this subtask's and the others'. */
  private long linesConsumed;

  /** Set by a rescaled restore: which lines above {@code linesConsumed} were emitted before. */
  private ReaderPosition restoredFrom;

  private long restoredFromEnd;

  private boolean ended;

  FileLineSourceReader(FileSystemAccess fileSystem, String path, int subtask, int parallelism) {
    this.fileSystem = fileSystem;
    this.path = path;
    this.subtask = subtask;
    this.parallelism = parallelism;
  }

  @Override
  public void open() throws IOException {
    if (reader != null) {
      return;
    }
    try {
      reader =
          new BufferedReader(new InputStreamReader(fileSystem.open(path), StandardCharsets.UTF_8));
    } catch (FileNotFoundException | NoSuchFileException e) {
      NoSuchFileException missing =
          new NoSuchFileException(path, null, "input file does not exist");
      missing.initCause(e);
      throw missing;
    }
    for (long skipped = 0; skipped < linesConsumed; skipped++) {
      if (reader.readLine() == null) {
        throw new IOException(
            "input file '"
                + path
                + "' has fewer lines than the "
                + linesConsumed
                + " consumed before the restore");
      }
    }
  }

  @Override
  public InputStatus pollNext(Collector<String> output) throws IOException {
    if (ended) {
      return InputStatus.END_OF_INPUT;
    }
    open();
    int emitted = 0;
    while (emitted < MAX_BATCH) {
      String line = reader.readLine();
      if (line == null) {
        ended = true;
        return emitted > 0 ? InputStatus.MORE_AVAILABLE : InputStatus.END_OF_INPUT;
      }
      long number = linesConsumed++;
      if (number % parallelism == subtask && !emittedBeforeRestore(number)) {
        output.collect(line);
        emitted++;
      }
    }
    return InputStatus.MORE_AVAILABLE;
  }

  private boolean emittedBeforeRestore(long number) {
    return number < restoredFromEnd && restoredFrom.emittedByHistory(number, BY_LINE_NUMBER);
  }

  @Override
  public byte[] snapshotState(long checkpointId) {
    List<ReaderPosition> history = restoredFrom == null ? List.of() : restoredFrom.history();
    return new ReaderPosition(subtask, parallelism, linesConsumed, history)
        .withNext(linesConsumed)
        .toBytes();
  }

  @Override
  public void restoreState(byte[] state) {
    restore(ReaderPosition.fromBytes(state, WHAT).requireOwner(subtask, parallelism, WHAT));
  }

  /**
   * Emits exactly the lines this subtask owns now that no previous subtask had emitted: line {@code
   * n} was emitted iff it is below the lines consumed by the subtask that owned it before.
   */
  @Override
  public void restoreRescaledState(List<byte[]> previousStates) {
    List<ReaderPosition> previous =
        previousStates.stream().map(state -> ReaderPosition.fromBytes(state, WHAT)).toList();
    restore(ReaderPosition.rescaled(subtask, parallelism, previous));
  }

  private void restore(ReaderPosition position) {
    if (reader != null) {
      throw new IllegalStateException("a restore must come before open()");
    }
    linesConsumed = position.next();
    restoredFrom = position;
    restoredFromEnd = position.historyEnd();
  }

  @Override
  public void close() throws IOException {
    if (reader != null) {
      BufferedReader open = reader;
      reader = null;
      open.close();
    }
  }
}

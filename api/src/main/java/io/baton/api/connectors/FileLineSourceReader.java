package io.baton.api.connectors;

import io.baton.api.connector.InputStatus;
import io.baton.api.connector.SourceReader;
import io.baton.api.functions.Collector;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** One subtask's share of a {@link FileLineSource}. */
final class FileLineSourceReader implements SourceReader<String> {
  static final int MAX_BATCH = 64;

  private final String path;
  private final int subtask;
  private final int parallelism;
  private BufferedReader reader;

  /** Lines read from the file so far, this subtask's and the others'. */
  private long linesConsumed;

  private boolean ended;

  FileLineSourceReader(String path, int subtask, int parallelism) {
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
      reader = Files.newBufferedReader(Path.of(path), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(path, null, "input file does not exist");
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
      if (number % parallelism == subtask) {
        output.collect(line);
        emitted++;
      }
    }
    return InputStatus.MORE_AVAILABLE;
  }

  @Override
  public byte[] snapshotState(long checkpointId) {
    return ByteBuffer.allocate(Long.BYTES).putLong(linesConsumed).array();
  }

  @Override
  public void restoreState(byte[] state) {
    if (reader != null) {
      throw new IllegalStateException("restoreState must come before open()");
    }
    if (state.length != Long.BYTES) {
      throw new IllegalArgumentException(
          "file source state must be 8 bytes (lines consumed), not " + state.length);
    }
    linesConsumed = ByteBuffer.wrap(state).getLong();
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

package io.baton.flinkbench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;

/**
 * Writes strings as lines through a 64 KiB buffer into a part file of Flink's {@code
 * StreamingFileSink}. The sink calls {@link #flush} before each checkpoint and {@link #finish} when
 * it rolls the part file, so everything written before a checkpoint is in the file it commits.
 */
final class BufferedLines implements BulkWriter<String> {
  private static final int BUFFER_BYTES = 64 * 1024;

  private final FSDataOutputStream out;
  private final BufferedOutputStream buffer;

  private BufferedLines(FSDataOutputStream out) {
    this.out = out;
    this.buffer = new BufferedOutputStream(out, BUFFER_BYTES);
  }

  @Override
  public void addElement(String line) throws IOException {
    buffer.write(line.getBytes(StandardCharsets.UTF_8));
    buffer.write('\n');
  }

  @Override
  public void flush() throws IOException {
    buffer.flush();
  }

  /** Flushes; the sink owns the stream and closes it. */
  @Override
  public void finish() throws IOException {
    buffer.flush();
    out.flush();
  }

  /** One writer per part file. */
  static final class Factory implements BulkWriter.Factory<String> {
    @Override
    public BulkWriter<String> create(FSDataOutputStream out) {
      return new BufferedLines(out);
    }
  }
}

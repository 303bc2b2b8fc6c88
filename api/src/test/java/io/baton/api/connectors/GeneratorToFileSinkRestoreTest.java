package io.baton.api.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.api.connector.InputStatus;
import io.baton.api.connector.SinkWriter;
import io.baton.api.connector.SourceReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source and a sink checkpointed together, failing after a checkpoint that never completed, and
 * restored from the last completed one: every record is visible exactly once.
 */
class GeneratorToFileSinkRestoreTest {
  private static final int RECORDS = 1000;

  @TempDir Path dir;

  private final GeneratorSource<Long> source = new GeneratorSource<>(i -> i, RECORDS, 0);

  private static void pump(SourceReader<Long> reader, SinkWriter<Long> writer, int polls)
      throws Exception {
    for (int i = 0; i < polls; i++) {
      List<Long> batch = new ArrayList<>();
      if (reader.pollNext(batch::add) == InputStatus.END_OF_INPUT) {
        return;
      }
      for (Long record : batch) {
        writer.write(record);
      }
    }
  }

  @Test
  void recordsAreVisibleExactlyOnceAfterAFailureAndARestore() throws Exception {
    FileSink<Long> fileSink = new FileSink<>(dir.toString());
    TestTaskInfo task = new TestTaskInfo(0, 1);
    SourceReader<Long> reader = source.createReader(task);
    SinkWriter<Long> writer = fileSink.createWriter(task);
    reader.open();
    writer.open();

    pump(reader, writer, 3);
    byte[] sourceAt1 = reader.snapshotState(1);
    byte[] sinkAt1 = writer.snapshotState(1);
    writer.notifyCheckpointComplete(1);
    pump(reader, writer, 2);
    reader.snapshotState(2);
    writer.snapshotState(2); // checkpoint 2 never completes
    pump(reader, writer, 2);
    // the task fails here: nothing is closed or finished

    SourceReader<Long> restoredReader = source.createReader(task);
    SinkWriter<Long> restoredWriter = fileSink.createWriter(task);
    restoredReader.restoreState(sourceAt1);
    restoredWriter.restoreState(sinkAt1);
    restoredReader.open();
    restoredWriter.open();
    pump(restoredReader, restoredWriter, Integer.MAX_VALUE);
    restoredWriter.finish();
    restoredWriter.close();

    List<Long> visible = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        if (Files.isRegularFile(file) && !file.getFileName().toString().startsWith(".")) {
          Files.readAllLines(file).forEach(line -> visible.add(Long.parseLong(line)));
        }
      }
    }
    assertThat(visible)
        .containsExactlyInAnyOrderElementsOf(LongStream.range(0, RECORDS).boxed().toList());
    try (Stream<Path> files = Files.list(dir.resolve(".inprogress"))) {
      assertThat(files).isEmpty();
    }
  }
}

package io.baton.api.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.api.connector.SinkWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSinkTest {
  @TempDir Path root;

  private Path out() {
    return root.resolve("output");
  }

  private SinkWriter<String> writer(int subtask) throws Exception {
    SinkWriter<String> writer =
        new FileSink<String>(out().toString()).createWriter(new TestTaskInfo(subtask, 2));
    writer.open();
    return writer;
  }

  private SinkWriter<String> restoredWriter(int subtask, byte[] state) throws Exception {
    SinkWriter<String> writer =
        new FileSink<String>(out().toString()).createWriter(new TestTaskInfo(subtask, 2));
    writer.restoreState(state);
    writer.open();
    return writer;
  }

  private List<String> visibleFiles() throws IOException {
    try (Stream<Path> files = Files.list(out())) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith("."))
          .sorted()
          .toList();
    }
  }

  private List<String> hiddenFiles() throws IOException {
    try (Stream<Path> files = Files.list(out())) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("."))
          .sorted()
          .toList();
    }
  }

  private List<String> lines(String file) throws IOException {
    return Files.readAllLines(out().resolve(file));
  }

  @Test
  void writtenLinesStayHiddenUntilTheirCheckpointCompletes() throws Exception {
    SinkWriter<String> writer = writer(0);
    writer.write("a");
    writer.write("b");

    assertThat(visibleFiles()).isEmpty();
    assertThat(hiddenFiles()).singleElement().asString().matches("\\.part-0-0\\.inprogress\\..+");

    writer.snapshotState(1);
    writer.write("c");
    assertThat(visibleFiles()).isEmpty();

    writer.notifyCheckpointComplete(1);
    assertThat(visibleFiles()).containsExactly("part-0-0");
    assertThat(lines("part-0-0")).containsExactly("a", "b");
    assertThat(hiddenFiles()).singleElement().asString().startsWith(".part-0-1.inprogress.");

    writer.finish();
    writer.close();
    assertThat(visibleFiles()).containsExactly("part-0-0", "part-0-1");
    assertThat(lines("part-0-1")).containsExactly("c");
    assertThat(hiddenFiles()).isEmpty();
  }

  @Test
  void aCompletedCheckpointCommitsEarlierOnesWhoseNotificationNeverCame() throws Exception {
    SinkWriter<String> writer = writer(0);
    writer.write("one");
    writer.snapshotState(1);
    writer.write("two");
    writer.snapshotState(2);
    writer.snapshotState(3); // nothing written since 2: no empty file

    writer.notifyCheckpointComplete(2);

    assertThat(visibleFiles()).containsExactly("part-0-0", "part-0-1");
    assertThat(hiddenFiles()).isEmpty();
  }

  @Test
  void restoreCommitsThePreCommittedFilesAndDropsTheRest() throws Exception {
    SinkWriter<String> failed = writer(0);
    failed.write("before checkpoint");
    byte[] state = failed.snapshotState(1);
    failed.write("after checkpoint"); // the attempt fails before checkpoint 2: never visible
    SinkWriter<String> otherSubtask = writer(1);
    otherSubtask.write("subtask 1");

    SinkWriter<String> restored = restoredWriter(0, state);

    assertThat(visibleFiles()).containsExactly("part-0-0");
    assertThat(lines("part-0-0")).containsExactly("before checkpoint");
    assertThat(hiddenFiles())
        .singleElement()
        .asString()
        .startsWith(".part-1-0.inprogress."); // another subtask's file is left alone

    restored.write("replayed");
    restored.finish();
    assertThat(visibleFiles()).containsExactly("part-0-0", "part-0-1");
    assertThat(lines("part-0-1")).containsExactly("replayed");
  }

  @Test
  void restoringTheSameStateTwiceIsHarmless() throws Exception {
    SinkWriter<String> first = writer(0);
    first.write("x");
    byte[] state = first.snapshotState(5);
    first.notifyCheckpointComplete(5);

    restoredWriter(0, state).close();
    restoredWriter(0, state).close();

    assertThat(visibleFiles()).containsExactly("part-0-0");
    assertThat(lines("part-0-0")).containsExactly("x");
  }

  @Test
  void partNumbersCommittedAfterTheSnapshotAreNotReused() throws Exception {
    SinkWriter<String> first = writer(0);
    first.write("checkpointed");
    byte[] state = first.snapshotState(1);
    first.write("finished");
    first.finish(); // the job then fails before it finishes as a whole

    SinkWriter<String> restored = restoredWriter(0, state);
    restored.write("again");
    restored.finish();

    assertThat(visibleFiles()).containsExactly("part-0-0", "part-0-1", "part-0-2");
    assertThat(lines("part-0-1")).containsExactly("finished");
    assertThat(lines("part-0-2")).containsExactly("again");
  }

  @Test
  void closeDropsTheUncheckpointedFileButKeepsPreCommittedOnes() throws Exception {
    SinkWriter<String> writer = writer(0);
    writer.write("pre-committed");
    byte[] state = writer.snapshotState(1);
    writer.write("lost");
    writer.close();

    assertThat(hiddenFiles()).singleElement().asString().startsWith(".part-0-0.inprogress.");

    restoredWriter(0, state).close();
    assertThat(visibleFiles()).containsExactly("part-0-0");
  }

  @Test
  void theFormatterMakesTheLinesAndNestedDirectoriesAreCreated() throws Exception {
    Path nested = root.resolve("a/b/c");
    SinkWriter<Integer> writer =
        new FileSink<Integer>(nested.toString(), n -> "n=" + n)
            .createWriter(new TestTaskInfo(0, 1));
    writer.open();
    writer.write(1);
    writer.write(2);
    writer.finish();

    assertThat(Files.readAllLines(nested.resolve("part-0-0"))).containsExactly("n=1", "n=2");
  }
}

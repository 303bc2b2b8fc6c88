package io.baton.api.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.api.connector.SinkWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSinkTest {
  private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  @TempDir Path root;

  private Path out() {
    return root.resolve("output");
  }

  private SinkWriter<String> writer(int subtask, int parallelism) throws Exception {
    SinkWriter<String> writer =
        new FileSink<String>(out().toString()).createWriter(new TestTaskInfo(subtask, parallelism));
    writer.open();
    return writer;
  }

  private SinkWriter<String> writer(int subtask) throws Exception {
    return writer(subtask, 2);
  }

  private SinkWriter<String> restoredWriter(int subtask, byte[] state) throws Exception {
    SinkWriter<String> writer =
        new FileSink<String>(out().toString()).createWriter(new TestTaskInfo(subtask, 2));
    writer.restoreState(state);
    writer.open();
    return writer;
  }

  private SinkWriter<String> rescaledWriter(int subtask, int parallelism, List<byte[]> states)
      throws Exception {
    SinkWriter<String> writer =
        new FileSink<String>(out().toString()).createWriter(new TestTaskInfo(subtask, parallelism));
    writer.restoreRescaledState(states);
    writer.open();
    return writer;
  }

  private static List<String> names(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private List<String> visibleFiles() throws IOException {
    return names(out()).stream().filter(n -> !n.startsWith(".")).toList();
  }

  /** In-progress files (a local store's temporary files of unclosed ones start with a dot). */
  private List<String> inProgressFiles() throws IOException {
    return names(out().resolve(".inprogress"));
  }

  private List<String> closedInProgressFiles() throws IOException {
    return inProgressFiles().stream().filter(n -> !n.startsWith(".")).toList();
  }

  private List<String> lines(String file) throws IOException {
    return Files.readAllLines(out().resolve(file));
  }

  private List<String> allVisibleLines() throws IOException {
    List<String> lines = new ArrayList<>();
    for (String file : visibleFiles()) {
      lines.addAll(lines(file));
    }
    return lines;
  }

  @Test
  void writtenLinesStayHiddenUntilTheirCheckpointCompletes() throws Exception {
    SinkWriter<String> writer = writer(0);
    writer.write("a");
    writer.write("b");

    assertThat(visibleFiles()).isEmpty();
    writer.snapshotState(1);
    assertThat(visibleFiles()).isEmpty();
    assertThat(closedInProgressFiles()).singleElement().asString().matches("part-0-0-" + UUID);

    writer.write("c");
    assertThat(visibleFiles()).isEmpty();

    writer.notifyCheckpointComplete(1);
    assertThat(visibleFiles()).containsExactly("part-0-0");
    assertThat(lines("part-0-0")).containsExactly("a", "b");

    writer.finish();
    writer.close();
    assertThat(visibleFiles()).containsExactly("part-0-0", "part-0-1");
    assertThat(lines("part-0-1")).containsExactly("c");
    assertThat(inProgressFiles()).isEmpty();
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
    assertThat(inProgressFiles()).isEmpty();
  }

  /**
   * A new leader that adopts running tasks notifies the latest completed checkpoint again: the
   * second notification commits nothing twice, and files of a later checkpoint stay pending.
   */
  @Test
  void aCheckpointNotifiedTwiceCommitsOnce() throws Exception {
    SinkWriter<String> writer = writer(0);
    writer.write("a");
    writer.snapshotState(1);
    writer.notifyCheckpointComplete(1);
    writer.write("b");
    writer.snapshotState(2);

    writer.notifyCheckpointComplete(1);

    assertThat(visibleFiles()).containsExactly("part-0-0");
    assertThat(lines("part-0-0")).containsExactly("a");
    writer.notifyCheckpointComplete(2);
    assertThat(visibleFiles()).containsExactly("part-0-0", "part-0-1");
    assertThat(lines("part-0-1")).containsExactly("b");
  }

  @Test
  void restoreCommitsThePreCommittedFilesAndDropsTheRest() throws Exception {
    SinkWriter<String> failed = writer(0);
    failed.write("before checkpoint");
    byte[] state = failed.snapshotState(1);
    failed.write("after checkpoint");
    failed.snapshotState(2); // checkpoint 2 never completes: its file is dropped on restore
    SinkWriter<String> otherSubtask = writer(1);
    otherSubtask.write("subtask 1");
    otherSubtask.snapshotState(2);

    SinkWriter<String> restored = restoredWriter(0, state);

    assertThat(visibleFiles()).containsExactly("part-0-0");
    assertThat(lines("part-0-0")).containsExactly("before checkpoint");
    // another subtask's file is left alone
    assertThat(closedInProgressFiles()).singleElement().asString().startsWith("part-1-0-");

    restored.write("replayed");
    restored.finish();
    assertThat(visibleFiles()).containsExactly("part-0-0", "part-0-2");
    assertThat(lines("part-0-2")).containsExactly("replayed");
  }

  @Test
  void restoreFromAnOlderCheckpointRollsBackWhatWasCommittedAfterIt() throws Exception {
    SinkWriter<String> first = writer(0);
    first.write("a");
    byte[] atOne = first.snapshotState(1);
    first.notifyCheckpointComplete(1);
    first.write("b");
    first.snapshotState(2);
    first.notifyCheckpointComplete(2);
    SinkWriter<String> otherSubtask = writer(1);
    otherSubtask.write("other");
    otherSubtask.snapshotState(2);
    otherSubtask.notifyCheckpointComplete(2);
    assertThat(visibleFiles()).containsExactly("part-0-0", "part-0-1", "part-1-0");

    // checkpoint 2 is damaged: the job falls back to 1 and replays "b"
    SinkWriter<String> restored = restoredWriter(0, atOne);
    restored.write("b");
    restored.finish();

    List<String> lines = new ArrayList<>();
    for (String name : visibleFiles()) {
      lines.addAll(lines(name));
    }
    assertThat(lines).containsExactlyInAnyOrder("a", "b", "other");
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
  void partsCommittedAfterTheRestoredCheckpointAreRolledBack() throws Exception {
    SinkWriter<String> first = writer(0);
    first.write("checkpointed");
    byte[] state = first.snapshotState(1);
    first.write("finished");
    first.finish(); // the job then fails before it finishes as a whole

    SinkWriter<String> restored = restoredWriter(0, state);
    restored.write("finished"); // the sources replay it from checkpoint 1
    restored.finish();

    List<String> lines = new ArrayList<>();
    for (String name : visibleFiles()) {
      lines.addAll(lines(name));
    }
    assertThat(lines).containsExactlyInAnyOrder("checkpointed", "finished");
    assertThat(lines("part-0-0")).containsExactly("checkpointed");
  }

  @Test
  void closeDropsTheUncheckpointedFileButKeepsPreCommittedOnes() throws Exception {
    SinkWriter<String> writer = writer(0);
    writer.write("pre-committed");
    byte[] state = writer.snapshotState(1);
    writer.write("lost");
    writer.close();

    assertThat(inProgressFiles()).singleElement().asString().startsWith("part-0-0-");

    restoredWriter(0, state).close();
    assertThat(visibleFiles()).containsExactly("part-0-0");
    assertThat(lines("part-0-0")).containsExactly("pre-committed");
    assertThat(inProgressFiles()).isEmpty();
  }

  @Test
  void aStateOfAnotherSubtaskOrABrokenStateIsRefused() throws Exception {
    SinkWriter<String> writer = writer(1);
    writer.write("x");
    byte[] state = writer.snapshotState(1);

    assertThatThrownBy(() -> restoredWriter(0, state))
        .hasMessage(
            "file sink state of subtask 1 cannot be restored into subtask 0 without rescaling");
    assertThatThrownBy(() -> restoredWriter(1, new byte[] {0, 0, 0, 2, 0}))
        .hasMessage("file sink state is cut short (5 bytes)");
  }

  @Test
  void theFormatterMakesTheLinesAndAFileUriNamesTheDirectory() throws Exception {
    Path nested = root.resolve("a/b/c");
    SinkWriter<Integer> writer =
        new FileSink<Integer>(nested.toUri().toString(), n -> "n=" + n)
            .createWriter(new TestTaskInfo(0, 1));
    writer.open();
    writer.write(1);
    writer.write(2);
    writer.finish();

    assertThat(Files.readAllLines(nested.resolve("part-0-0"))).containsExactly("n=1", "n=2");
  }

  @Test
  void anObjectStoreWithoutDirectoriesServesAsWell() throws Exception {
    InMemoryObjectStore store = new InMemoryObjectStore();
    FileSink<String> sink = new FileSink<>("s3://bucket/ledger/");
    SinkWriter<String> first = sink.createWriter(new TestTaskInfo(0, 1, store));
    first.open();
    first.write("a");
    byte[] state = first.snapshotState(1);
    first.write("b");
    first.snapshotState(2); // never completes

    assertThat(store.keys())
        .hasSize(2)
        .allMatch(key -> key.matches("s3://bucket/ledger/\\.inprogress/part-0-[01]-" + UUID));

    SinkWriter<String> restored = sink.createWriter(new TestTaskInfo(0, 1, store));
    restored.restoreState(state);
    restored.open();
    restored.write("b");
    restored.finish();

    assertThat(store.keys())
        .containsExactly("s3://bucket/ledger/part-0-0", "s3://bucket/ledger/part-0-2");
    assertThat(store.content("s3://bucket/ledger/part-0-0")).isEqualTo("a\n");
    assertThat(store.content("s3://bucket/ledger/part-0-2")).isEqualTo("b\n");
  }

  @Test
  void aCommitCutBetweenCopyAndDeleteIsFinishedByTheRestore() throws Exception {
    InMemoryObjectStore store = new InMemoryObjectStore();
    FileSink<String> sink = new FileSink<>("s3://bucket/out");
    SinkWriter<String> writer = sink.createWriter(new TestTaskInfo(0, 1, store));
    writer.open();
    writer.write("a");
    byte[] state = writer.snapshotState(1);
    String inProgress = store.keys().get(0);
    store.copy(inProgress, "s3://bucket/out/part-0-0"); // the TaskManager died here

    SinkWriter<String> restored = sink.createWriter(new TestTaskInfo(0, 1, store));
    restored.restoreState(state);

    assertThat(store.keys()).containsExactly("s3://bucket/out/part-0-0");
    assertThat(store.content("s3://bucket/out/part-0-0")).isEqualTo("a\n");
  }

  @Test
  void aPendingFileThatIsGoneWithoutItsCommittedFileIsAnError() throws Exception {
    InMemoryObjectStore store = new InMemoryObjectStore();
    FileSink<String> sink = new FileSink<>("s3://bucket/out");
    SinkWriter<String> writer = sink.createWriter(new TestTaskInfo(0, 1, store));
    writer.open();
    writer.write("a");
    byte[] state = writer.snapshotState(1);
    String inProgress = store.keys().get(0);
    store.delete(inProgress);

    SinkWriter<String> restored = sink.createWriter(new TestTaskInfo(0, 1, store));
    assertThatThrownBy(() -> restored.restoreState(state))
        .hasMessage(
            "cannot commit 's3://bucket/out/part-0-0': its in-progress file '"
                + inProgress
                + "' is gone");
  }

  @Test
  void aFileThatCannotBeClosedStopsTheWriterSoOnlyARestoreGoesOn() throws Exception {
    InMemoryObjectStore store = new InMemoryObjectStore();
    SinkWriter<String> writer =
        new FileSink<String>("s3://bucket/out").createWriter(new TestTaskInfo(0, 1, store));
    writer.open();
    writer.write("a");
    store.uploadsFail = true;

    assertThatThrownBy(() -> writer.snapshotState(1))
        .hasMessageStartingWith("in-progress file 's3://bucket/out/.inprogress/part-0-0-")
        .hasMessageEndingWith("' could not be closed; its records are lost to this attempt")
        .cause()
        .hasMessageMatching("upload of s3://bucket/out/\\.inprogress/part-0-0-" + UUID + " failed");
    store.uploadsFail = false;
    assertThatThrownBy(() -> writer.write("b"))
        .hasMessageStartingWith("the file sink cannot continue: in-progress file");
    assertThatThrownBy(writer::finish)
        .hasMessageStartingWith("the file sink cannot continue: in-progress file");
    assertThat(store.keys()).isEmpty();
  }

  /** The writers of a run that failed, their states of its last completed checkpoint. */
  private record Run(List<SinkWriter<String>> writers, List<byte[]> states, List<String> covered) {}

  /**
   * Every subtask writes a line committed by checkpoint {@code id - 1}, a line pending for
   * checkpoint {@code id} (the one the states are of), a line pending for a checkpoint that never
   * completes and one in no checkpoint; then the run fails.
   */
  private Run failedRun(int parallelism, String tag, long id) throws Exception {
    List<SinkWriter<String>> writers = new ArrayList<>();
    List<byte[]> states = new ArrayList<>();
    List<String> covered = new ArrayList<>();
    for (int s = 0; s < parallelism; s++) {
      SinkWriter<String> writer = writer(s, parallelism);
      writer.write(tag + s + " committed");
      writer.snapshotState(id - 1);
      writer.notifyCheckpointComplete(id - 1);
      writer.write(tag + s + " pending");
      states.add(writer.snapshotState(id));
      writer.write(tag + s + " after the checkpoint");
      writer.snapshotState(id + 1); // never completes
      writer.write(tag + s + " in no checkpoint");
      writers.add(writer);
      covered.add(tag + s + " committed");
      covered.add(tag + s + " pending");
    }
    return new Run(writers, states, covered);
  }

  private List<String> restoreRescaled(int parallelism, List<byte[]> states, String tag)
      throws Exception {
    List<String> written = new ArrayList<>();
    for (int s = 0; s < parallelism; s++) {
      SinkWriter<String> writer = rescaledWriter(s, parallelism, states);
      writer.write(tag + s);
      writer.finish();
      writer.close();
      written.add(tag + s);
    }
    return written;
  }

  @Test
  void aRestoreFrom4To2SubtasksCommitsEveryPendingFileOnceAndCleansTheRest() throws Exception {
    Run run = failedRun(4, "old ", 2);
    assertThat(allVisibleLines()).hasSize(4);

    List<String> written = restoreRescaled(2, run.states(), "new ");

    List<String> expected = new ArrayList<>(run.covered());
    expected.addAll(written);
    assertThat(allVisibleLines()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(inProgressFiles()).isEmpty();
    assertThat(visibleFiles())
        .containsExactlyInAnyOrder(
            "part-0-0",
            "part-0-1",
            "part-1-0",
            "part-1-1",
            "part-2-0",
            "part-2-1",
            "part-3-0",
            "part-3-1", // committed by the new subtasks 0 and 1
            "part-0-4",
            "part-1-4"); // written by them: after every number their subtask used
  }

  @Test
  void aRestoreFrom2To4SubtasksCommitsEveryPendingFileOnceAndNeverReusesAName() throws Exception {
    // an earlier run with 4 subtasks left part-3-0 behind
    SinkWriter<String> earlier = writer(3, 4);
    earlier.write("earliest");
    earlier.finish();
    Run run = failedRun(2, "old ", 7);

    List<String> written = restoreRescaled(4, run.states(), "new ");

    List<String> expected = new ArrayList<>(run.covered());
    expected.add("earliest");
    expected.addAll(written);
    assertThat(allVisibleLines()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(inProgressFiles()).isEmpty();
    assertThat(lines("part-3-0")).containsExactly("earliest");
    assertThat(lines("part-3-1")).containsExactly("new 3");
    assertThat(lines("part-2-0")).containsExactly("new 2");
  }

  @Test
  void restoringTheRescaledStatesTwiceIsHarmless() throws Exception {
    Run run = failedRun(3, "", 2);

    for (int attempt = 0; attempt < 2; attempt++) {
      for (int s = 0; s < 2; s++) {
        rescaledWriter(s, 2, run.states()).close();
      }
    }

    assertThat(allVisibleLines()).containsExactlyInAnyOrderElementsOf(run.covered());
    assertThat(inProgressFiles()).isEmpty();
    assertThat(visibleFiles())
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, 3)
                .boxed()
                .flatMap(s -> Stream.of("part-" + s + "-0", "part-" + s + "-1"))
                .toList());
  }
}

package io.baton.api.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.api.connector.InputStatus;
import io.baton.api.connector.SourceReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLineSourceTest {
  @TempDir Path dir;

  private static List<String> drain(SourceReader<String> reader) throws Exception {
    List<String> out = new ArrayList<>();
    while (reader.pollNext(out::add) != InputStatus.END_OF_INPUT) {
      assertThat(out.size()).isLessThan(1_000_000);
    }
    return out;
  }

  private Path fileWithLines(int count) throws Exception {
    Path file = dir.resolve("input.txt");
    Files.write(file, IntStream.range(0, count).mapToObj(i -> "line " + i).toList());
    return file;
  }

  @Test
  void subtaskSReadsTheLinesWhoseNumberModuloParallelismIsS() throws Exception {
    FileLineSource source = new FileLineSource(fileWithLines(200).toString());

    SourceReader<String> reader = source.createReader(new TestTaskInfo(1, 3));
    reader.open();

    assertThat(drain(reader))
        .isEqualTo(
            IntStream.range(0, 200).filter(i -> i % 3 == 1).mapToObj(i -> "line " + i).toList());
    assertThat(source.isBounded()).isTrue();
  }

  @Test
  void aRestoredReaderSkipsTheLinesConsumedBeforeTheSnapshot() throws Exception {
    FileLineSource source = new FileLineSource(fileWithLines(500).toString());
    SourceReader<String> first = source.createReader(new TestTaskInfo(0, 2));
    first.open();
    List<String> before = new ArrayList<>();
    first.pollNext(before::add);
    byte[] state = first.snapshotState(7);
    first.close();

    SourceReader<String> restored = source.createReader(new TestTaskInfo(0, 2));
    restored.restoreState(state);
    restored.open();
    List<String> all = new ArrayList<>(before);
    all.addAll(drain(restored));

    assertThat(before).hasSize(FileLineSourceReader.MAX_BATCH);
    assertThat(all)
        .isEqualTo(
            IntStream.range(0, 500).filter(i -> i % 2 == 0).mapToObj(i -> "line " + i).toList());
  }

  @Test
  void aMissingFileIsNamedInTheError() {
    String missing = dir.resolve("nope.txt").toString();
    SourceReader<String> reader = new FileLineSource(missing).createReader(new TestTaskInfo(0, 1));

    assertThatThrownBy(reader::open)
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(missing)
        .hasMessageContaining("input file does not exist");
  }

  /** Emitted lines of each subtask before a checkpoint, and the states at it. */
  private record Cut(List<String> emitted, List<byte[]> states) {}

  private static Cut cut(FileLineSource source, int parallelism) throws Exception {
    List<String> emitted = new ArrayList<>();
    List<byte[]> states = new ArrayList<>();
    for (int s = 0; s < parallelism; s++) {
      SourceReader<String> reader = source.createReader(new TestTaskInfo(s, parallelism));
      reader.open();
      for (int polls = 0; polls <= s; polls++) {
        reader.pollNext(emitted::add);
      }
      states.add(reader.snapshotState(3));
      reader.pollNext(line -> {}); // after the checkpoint: lost with the failure
      reader.close();
    }
    return new Cut(emitted, states);
  }

  private static List<String> restoreRescaledAndDrain(
      FileLineSource source, int parallelism, List<byte[]> states) throws Exception {
    List<String> emitted = new ArrayList<>();
    for (int s = 0; s < parallelism; s++) {
      SourceReader<String> reader = source.createReader(new TestTaskInfo(s, parallelism));
      reader.restoreRescaledState(states);
      reader.open();
      List<String> lines = drain(reader);
      int subtask = s;
      assertThat(lines)
          .allMatch(line -> Integer.parseInt(line.substring(5)) % parallelism == subtask)
          .isSortedAccordingTo(
              java.util.Comparator.comparingInt(line -> Integer.parseInt(line.substring(5))));
      emitted.addAll(lines);
      reader.close();
    }
    return emitted;
  }

  @Test
  void restoredWithFewerOrMoreSubtasksEveryLineIsEmittedExactlyOnce() throws Exception {
    FileLineSource source = new FileLineSource(fileWithLines(1000).toString());
    List<String> allLines = IntStream.range(0, 1000).mapToObj(i -> "line " + i).toList();

    for (int[] rescale : new int[][] {{4, 2}, {2, 4}, {3, 5}}) {
      Cut before = cut(source, rescale[0]);
      List<String> all = new ArrayList<>(before.emitted());
      all.addAll(restoreRescaledAndDrain(source, rescale[1], before.states()));

      assertThat(all)
          .as("%s -> %s", rescale[0], rescale[1])
          .containsExactlyInAnyOrderElementsOf(allLines);
    }
  }

  @Test
  void aRestoreAfterOpenOrWithAnotherSubtasksStateIsRefused() throws Exception {
    FileLineSource source = new FileLineSource(fileWithLines(10).toString());
    SourceReader<String> reader = source.createReader(new TestTaskInfo(0, 2));
    byte[] state = reader.snapshotState(1);

    assertThatThrownBy(() -> source.createReader(new TestTaskInfo(1, 2)).restoreState(state))
        .hasMessage(
            "file source state of subtask 0 of 2 cannot be restored into subtask 1 of 2"
                + " without rescaling");
    reader.open();
    assertThatThrownBy(() -> reader.restoreState(state))
        .hasMessage("a restore must come before open()");
  }

  @Test
  void aFileUriIsReadThroughTheTasksFileSystem() throws Exception {
    Path file = fileWithLines(3);
    SourceReader<String> reader =
        new FileLineSource(file.toUri().toString()).createReader(new TestTaskInfo(0, 1));
    reader.open();

    assertThat(drain(reader)).containsExactly("line 0", "line 1", "line 2");
  }
}

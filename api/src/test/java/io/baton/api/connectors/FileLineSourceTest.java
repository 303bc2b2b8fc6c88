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
}

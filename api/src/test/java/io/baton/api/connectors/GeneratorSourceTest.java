package io.baton.api.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.api.connector.InputStatus;
import io.baton.api.connector.SourceReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class GeneratorSourceTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  private GeneratorSourceReader<Long> reader(
      long count, double rate, SubtaskAssigner assigner, int subtask, int parallelism) {
    return new GeneratorSourceReader<>(
        index -> index, count, rate, assigner, subtask, parallelism, nanos::get);
  }

  /** Polls until the reader ends; fails on NOTHING_AVAILABLE (no rate in these tests). */
  private static List<Long> drain(SourceReader<Long> reader) throws Exception {
    List<Long> out = new ArrayList<>();
    for (int polls = 0; polls < 1_000_000; polls++) {
      int before = out.size();
      InputStatus status = reader.pollNext(out::add);
      assertThat(out.size() - before).isLessThanOrEqualTo(GeneratorSourceReader.MAX_BATCH);
      if (status == InputStatus.END_OF_INPUT) {
        return out;
      }
      assertThat(status).isEqualTo(InputStatus.MORE_AVAILABLE);
    }
    throw new AssertionError("reader never ended");
  }

  @Test
  void subtasksShareTheIndicesRoundRobinEachInIncreasingOrder() throws Exception {
    GeneratorSource<Long> source = new GeneratorSource<>(index -> index * 2, 1000, 0);
    List<Long> all = new ArrayList<>();
    for (int subtask = 0; subtask < 3; subtask++) {
      SourceReader<Long> reader = source.createReader(new TestTaskInfo(subtask, 3));
      reader.open();
      List<Long> emitted = drain(reader);
      int s = subtask;
      assertThat(emitted)
          .isSorted()
          .allMatch(v -> (v / 2) % 3 == s)
          .hasSize(subtask == 0 ? 334 : 333);
      all.addAll(emitted);
    }
    assertThat(all)
        .containsExactlyInAnyOrderElementsOf(
            LongStream.range(0, 1000).map(i -> i * 2).boxed().toList());
    assertThat(source.isBounded()).isTrue();
    assertThat(new GeneratorSource<>(i -> i, GeneratorSource.UNBOUNDED, 0).isBounded()).isFalse();
  }

  @Test
  void aCustomAssignerDecidesWhichSubtaskEmitsAnIndex() throws Exception {
    SubtaskAssigner byKeyOf7 = (index, parallelism) -> (int) ((index % 7) % parallelism);
    List<Long> subtask1 = drain(reader(200, 0, byKeyOf7, 1, 2));

    assertThat(subtask1)
        .isEqualTo(LongStream.range(0, 200).filter(i -> (i % 7) % 2 == 1).boxed().toList());
  }

  @Test
  void aSubtaskWithoutIndicesEndsAfterScanningInBoundedSteps() throws Exception {
    SubtaskAssigner allToZero = (index, parallelism) -> 0;
    GeneratorSourceReader<Long> idle = reader(200_000, 0, allToZero, 1, 2);

    assertThat(idle.pollNext(v -> {})).isEqualTo(InputStatus.MORE_AVAILABLE);
    assertThat(idle.nextIndex()).isLessThan(200_000);
    assertThat(drain(idle)).isEmpty();
  }

  @Test
  void theRateHoldsRecordsBackUntilTheyAreDue() throws Exception {
    // 10 records per second over 2 subtasks: index i is due 100 ms * i after the start
    GeneratorSourceReader<Long> reader =
        reader(GeneratorSource.UNBOUNDED, 10, SubtaskAssigner.roundRobin(), 1, 2);
    reader.open();
    List<Long> out = new ArrayList<>();

    assertThat(reader.pollNext(out::add)).isEqualTo(InputStatus.NOTHING_AVAILABLE);
    assertThat(out).isEmpty();
    assertThat(reader.nanosUntilAvailable()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));

    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
    assertThat(reader.pollNext(out::add)).isEqualTo(InputStatus.NOTHING_AVAILABLE);
    assertThat(out).containsExactly(1L);
    assertThat(reader.nanosUntilAvailable()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(200));

    nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
    assertThat(reader.pollNext(out::add)).isEqualTo(InputStatus.NOTHING_AVAILABLE);
    assertThat(out).containsExactly(1L, 3L, 5L, 7L, 9L, 11L);
  }

  @Test
  void withoutRateABatchIsBoundedAndMoreIsAvailable() throws Exception {
    GeneratorSourceReader<Long> reader = reader(10_000, 0, SubtaskAssigner.roundRobin(), 0, 1);
    List<Long> out = new ArrayList<>();

    assertThat(reader.pollNext(out::add)).isEqualTo(InputStatus.MORE_AVAILABLE);

    assertThat(out).hasSize(GeneratorSourceReader.MAX_BATCH);
  }

  @Test
  void aRestoredReaderContinuesRightAfterTheSnapshot() throws Exception {
    SubtaskAssigner assigner = (index, parallelism) -> (int) ((index % 5) % parallelism);
    GeneratorSourceReader<Long> first = reader(1000, 0, assigner, 0, 2);
    List<Long> before = new ArrayList<>();
    first.pollNext(before::add);
    first.pollNext(before::add);
    byte[] state = first.snapshotState(1);
    first.pollNext(v -> {}); // emitted after the checkpoint: lost with the failure, replayed below
    first.close();

    GeneratorSourceReader<Long> restored = reader(1000, 0, assigner, 0, 2);
    restored.restoreState(state);
    restored.open();
    List<Long> after = drain(restored);

    List<Long> all = new ArrayList<>(before);
    all.addAll(after);
    assertThat(all)
        .isEqualTo(LongStream.range(0, 1000).filter(i -> (i % 5) % 2 == 0).boxed().toList());
    assertThatThrownBy(() -> reader(1000, 0, assigner, 0, 2).restoreState(new byte[3]))
        .hasMessage("generator source state is cut short (3 bytes)");
    assertThatThrownBy(() -> reader(1000, 0, assigner, 1, 2).restoreState(state))
        .hasMessage(
            "generator source state of subtask 0 of 2 cannot be restored into subtask 1 of 2"
                + " without rescaling");
  }

  private static final SubtaskAssigner BY_KEY_OF_7 =
      (index, parallelism) -> (int) ((index % 7) % parallelism);

  /** How a reader of a run gets its state back before it opens. */
  private interface Restore {
    void apply(SourceReader<Long> reader, int subtask) throws Exception;
  }

  /** What each subtask of a run emitted before a checkpoint, and its state at that checkpoint. */
  private record Cut(List<List<Long>> emitted, List<byte[]> states) {}

  /**
   * Runs {@code parallelism} restored readers, subtask s for {@code polls(s)} polls, cuts a
   * checkpoint, and fails after one more poll each (what that poll emitted is lost).
   */
  private Cut cut(int parallelism, Restore restore, java.util.function.IntUnaryOperator polls)
      throws Exception {
    List<List<Long>> emitted = new ArrayList<>();
    List<byte[]> states = new ArrayList<>();
    for (int s = 0; s < parallelism; s++) {
      GeneratorSourceReader<Long> reader = reader(1000, 0, BY_KEY_OF_7, s, parallelism);
      restore.apply(reader, s);
      reader.open();
      List<Long> out = new ArrayList<>();
      for (int i = 0; i < polls.applyAsInt(s); i++) {
        reader.pollNext(out::add);
      }
      states.add(reader.snapshotState(1));
      reader.pollNext(v -> {});
      emitted.add(out);
    }
    return new Cut(emitted, states);
  }

  private List<List<Long>> drainAll(int parallelism, Restore restore) throws Exception {
    List<List<Long>> emitted = new ArrayList<>();
    for (int s = 0; s < parallelism; s++) {
      GeneratorSourceReader<Long> reader = reader(1000, 0, BY_KEY_OF_7, s, parallelism);
      restore.apply(reader, s);
      reader.open();
      List<Long> out = drain(reader);
      int subtask = s;
      assertThat(out).allMatch(i -> BY_KEY_OF_7.subtaskFor(i, parallelism) == subtask);
      emitted.add(out);
    }
    return emitted;
  }

  private static Restore rescaledFrom(Cut previous) {
    return (reader, s) -> reader.restoreRescaledState(previous.states());
  }

  /**
   * Every index exactly once over all phases (each phase's output, in time order), and each key's
   * indices in increasing order across them.
   */
  @SafeVarargs
  private static void assertEachIndexOnceInKeyOrder(List<List<Long>>... phases) {
    List<Long> all = new ArrayList<>();
    java.util.Map<Long, List<Long>> byKey = new java.util.TreeMap<>();
    for (List<List<Long>> phase : phases) {
      for (List<Long> subtask : phase) {
        all.addAll(subtask);
        subtask.forEach(i -> byKey.computeIfAbsent(i % 7, k -> new ArrayList<>()).add(i));
      }
    }
    assertThat(all).containsExactlyInAnyOrderElementsOf(LongStream.range(0, 1000).boxed().toList());
    assertThat(byKey).hasSize(7).allSatisfy((key, indices) -> assertThat(indices).isSorted());
  }

  @Test
  void aRestoreFrom4To2SubtasksEmitsEveryIndexNotEmittedBeforeExactlyOnce() throws Exception {
    Cut before = cut(4, (reader, s) -> {}, s -> s + 1);

    List<List<Long>> after = drainAll(2, rescaledFrom(before));

    assertEachIndexOnceInKeyOrder(before.emitted(), after);
  }

  @Test
  void aRestoreFrom2To4SubtasksEmitsEveryIndexNotEmittedBeforeExactlyOnce() throws Exception {
    Cut before = cut(2, (reader, s) -> {}, s -> 2 - s);

    List<List<Long>> after = drainAll(4, rescaledFrom(before));

    assertEachIndexOnceInKeyOrder(before.emitted(), after);
  }

  @Test
  void checkpointsOfARescaledReaderRememberWhatTheRunBeforeHadEmitted() throws Exception {
    Cut first = cut(4, (reader, s) -> {}, s -> 3 * s + 1);
    // little progress: the new readers are still below what the first run emitted
    Cut second = cut(2, rescaledFrom(first), s -> 1);
    Cut third = cut(2, (reader, s) -> reader.restoreState(second.states().get(s)), s -> 1);

    List<List<Long>> last = drainAll(3, rescaledFrom(third));

    assertEachIndexOnceInKeyOrder(first.emitted(), second.emitted(), third.emitted(), last);
  }

  @Test
  void badSettingsAreRejectedWhenTheSourceIsMade() {
    assertThatThrownBy(() -> new GeneratorSource<>(i -> i, -2, 0))
        .hasMessage("record count must be at least 0 (or -1 for unbounded), not -2");
    assertThatThrownBy(() -> new GeneratorSource<>(i -> i, 10, -1))
        .hasMessage("rate must be a finite number of records per second >= 0, not -1.0");
  }
}

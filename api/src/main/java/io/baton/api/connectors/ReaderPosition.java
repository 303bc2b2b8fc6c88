package io.baton.api.connectors;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one parallel reader of an indexed input (a generator's indices, a file's lines) stood at a
 * checkpoint. Every index belongs to one subtask (by a {@link SubtaskAssigner} over {@code
 * parallelism}); an index this subtask owns was emitted before the checkpoint iff it is below
 * {@code next} or the run this reader was rescaled from had emitted it ({@code history}: the
 * positions of all subtasks of that run, by subtask index).
 *
 * <p>The history matters only until {@code next} passes the highest index it can say was emitted,
 * so it is dropped then; it nests only when a job is rescaled again before that.
 *
 * @param subtask the subtask that read
 * @param parallelism how many subtasks read
 * @param next every index below it that this subtask owns was emitted
 * @param history the previous run's positions, empty when this reader was not rescaled
 */
record ReaderPosition(int subtask, int parallelism, long next, List<ReaderPosition> history) {
  private static final int FORMAT_VERSION = 2;

  ReaderPosition {
    history = List.copyOf(history);
  }

  /** A reader that has emitted nothing. */
  static ReaderPosition start(int subtask, int parallelism) {
    return new ReaderPosition(subtask, parallelism, 0, List.of());
  }

  /**
   * The position of new subtask {@code subtask} of {@code parallelism} after a rescale from the
   * given positions of every previous subtask: it starts at the lowest index any previous subtask
   * had not emitted, and remembers the previous positions to skip what they emitted.
   */
  static ReaderPosition rescaled(int subtask, int parallelism, List<ReaderPosition> previous) {
    if (previous.isEmpty()) {
      throw new IllegalArgumentException("a rescaled restore needs the previous subtasks' states");
    }
    for (int i = 0; i < previous.size(); i++) {
      ReaderPosition p = previous.get(i);
      if (p.subtask() != i || p.parallelism() != previous.size()) {
        throw new IllegalArgumentException(
            "previous state "
                + i
                + " of "
                + previous.size()
                + " belongs to subtask "
                + p.subtask()
                + " of "
                + p.parallelism());
      }
    }
    long lowest = previous.stream().mapToLong(ReaderPosition::next).min().getAsLong();
    return new ReaderPosition(subtask, parallelism, lowest, previous).withNext(lowest);
  }

  /**
   * Whether an index this subtask owns was emitted before the checkpoint.
   *
   * @param assigner the assigner the positions were cut with
   */
  boolean emitted(long index, SubtaskAssigner assigner) {
    return index < next || emittedByHistory(index, assigner);
  }

  /** Whether the run this reader was rescaled from had emitted {@code index}. */
  boolean emittedByHistory(long index, SubtaskAssigner assigner) {
    return emittedBy(history, index, assigner);
  }

  /** Whether the run whose positions these are (one per subtask) had emitted {@code index}. */
  private static boolean emittedBy(
      List<ReaderPosition> positions, long index, SubtaskAssigner assigner) {
    if (positions.isEmpty()) {
      return false;
    }
    return positions.get(assigner.subtaskFor(index, positions.size())).emitted(index, assigner);
  }

  /** The position moved to {@code next}; the history goes once it cannot matter any more. */
  ReaderPosition withNext(long next) {
    List<ReaderPosition> kept = next >= historyEnd() ? List.of() : history;
    return new ReaderPosition(subtask, parallelism, next, kept);
  }

  /** Every index at or above this one is unemitted as far as the history knows. */
  long historyEnd() {
    long end = 0;
    for (ReaderPosition p : history) {
      end = Math.max(end, Math.max(p.next(), p.historyEnd()));
    }
    return end;
  }

  /** Checks that this position is one the given subtask wrote (a restore without rescale). */
  ReaderPosition requireOwner(int subtask, int parallelism, String what) {
    if (this.subtask != subtask || this.parallelism != parallelism) {
      throw new IllegalArgumentException(
          what
              + " state of subtask "
              + this.subtask
              + " of "
              + this.parallelism
              + " cannot be restored into subtask "
              + subtask
              + " of "
              + parallelism
              + " without rescaling");
    }
    return this;
  }

  byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(FORMAT_VERSION);
      write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not with an in-memory stream
    }
    return bytes.toByteArray();
  }

  private void write(DataOutputStream out) throws IOException {
    out.writeInt(subtask);
    out.writeInt(parallelism);
    out.writeLong(next);
    out.writeInt(history.size());
    for (ReaderPosition p : history) {
      p.write(out);
    }
  }

  /**
   * @param what the kind of source, for the error message
   * @throws IllegalArgumentException when the bytes are not a position
   */
  static ReaderPosition fromBytes(byte[] state, String what) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
      int version = in.readInt();
      if (version != FORMAT_VERSION) {
        throw new IllegalArgumentException(
            what + " state has unknown format version " + version + ", expected " + FORMAT_VERSION);
      }
      ReaderPosition position = read(in, what);
      if (in.available() > 0) {
        throw new IllegalArgumentException(
            what + " state has " + in.available() + " bytes after its end");
      }
      return position;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          what + " state is cut short (" + state.length + " bytes)", e);
    }
  }

  private static ReaderPosition read(DataInputStream in, String what) throws IOException {
    int subtask = in.readInt();
    int parallelism = in.readInt();
    long next = in.readLong();
    int count = in.readInt();
    if (parallelism < 1 || subtask < 0 || subtask >= parallelism || next < 0 || count < 0) {
      throw new IllegalArgumentException(
          what
              + " state is malformed: subtask "
              + subtask
              + " of "
              + parallelism
              + " at "
              + next
              + " with "
              + count
              + " previous positions");
    }
    List<ReaderPosition> history = new ArrayList<>(Math.min(count, 1024));
    for (int i = 0; i < count; i++) {
      history.add(read(in, what));
    }
    return new ReaderPosition(subtask, parallelism, next, history);
  }
}

package io.baton.taskmanager.task;

import io.baton.api.connector.InputStatus;
import io.baton.api.connector.Source;
import io.baton.api.connector.SourceReader;
import io.baton.api.functions.Collector;
import io.baton.api.functions.TaskInfo;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A source the test feeds record by record, per subtask, and ends when it likes. Its state is
 * "<subtask>:<records emitted>"; what it is restored with goes to the recorder under {@code id +
 * "/restored"}, the subtasks that reached the end under {@code id + "/ended"}.
 */
public record FeedSource(String id) implements Source<Object> {
  private static final Object END = "<end of input>";
  private static final Map<String, BlockingQueue<Object>> QUEUES = new ConcurrentHashMap<>();

  public static void feed(String id, int subtask, Object... records) {
    queue(id, subtask).addAll(List.of(records));
  }

  public static void end(String id, int subtask) {
    queue(id, subtask).add(END);
  }

  String restored() {
    return id + "/restored";
  }

  /** The subtasks whose reader returned END_OF_INPUT. */
  public String ended() {
    return id + "/ended";
  }

  private static BlockingQueue<Object> queue(String id, int subtask) {
    return QUEUES.computeIfAbsent(id + "/" + subtask, k -> new LinkedBlockingQueue<>());
  }

  @Override
  public SourceReader<Object> createReader(TaskInfo taskInfo) {
    int subtask = taskInfo.subtaskIndex();
    BlockingQueue<Object> queue = queue(id, subtask);
    return new SourceReader<>() {
      private long emitted;

      @Override
      public InputStatus pollNext(Collector<Object> output) {
        Object next = queue.peek();
        if (next == null) {
          return InputStatus.NOTHING_AVAILABLE;
        }
        if (next == END) {
          if (!Recorder.list(ended()).contains(subtask)) {
            Recorder.add(ended(), subtask);
          }
          return InputStatus.END_OF_INPUT;
        }
        queue.poll();
        output.collect(next);
        emitted++;
        return InputStatus.MORE_AVAILABLE;
      }

      @Override
      public long nanosUntilAvailable() {
        return 1_000_000L;
      }

      @Override
      public byte[] snapshotState(long checkpointId) {
        return (subtask + ":" + emitted).getBytes(StandardCharsets.UTF_8);
      }

      @Override
      public void restoreState(byte[] state) {
        Recorder.add(restored(), "same " + new String(state, StandardCharsets.UTF_8));
      }

      @Override
      public void restoreRescaledState(List<byte[]> previousStates) {
        Recorder.add(
            restored(),
            "rescaled "
                + previousStates.stream().map(s -> new String(s, StandardCharsets.UTF_8)).toList());
      }
    };
  }

  @Override
  public boolean isBounded() {
    return false;
  }
}

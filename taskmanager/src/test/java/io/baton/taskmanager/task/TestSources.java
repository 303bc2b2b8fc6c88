package io.baton.taskmanager.task;

import io.baton.api.connector.InputStatus;
import io.baton.api.connector.Source;
import io.baton.api.connector.SourceReader;
import io.baton.api.functions.Collector;
import io.baton.api.functions.TaskInfo;
import java.util.List;

/** Sources for task tests. */
final class TestSources {
  private TestSources() {}

  /** Emits the given records, subtask i taking those at positions i, i+p, ...; then ends. */
  static Source<Object> of(List<?> records) {
    return new Source<>() {
      @Override
      public SourceReader<Object> createReader(TaskInfo taskInfo) {
        return new SourceReader<>() {
          private int next = taskInfo.subtaskIndex();

          @Override
          public InputStatus pollNext(Collector<Object> output) {
            // a small batch per poll, as a real reader would
            for (int i = 0; i < 3 && next < records.size(); i++) {
              output.collect(records.get(next));
              next += taskInfo.parallelism();
            }
            return next < records.size() ? InputStatus.MORE_AVAILABLE : InputStatus.END_OF_INPUT;
          }
        };
      }

      @Override
      public boolean isBounded() {
        return true;
      }
    };
  }

  /**
   * Emits 0, 1, 2, ... forever, pausing every 50 records with a long suggested wait; leaves "open"
   * and "close" in the recorder under {@code id}.
   */
  static Source<Object> endless(String id) {
    return new Source<>() {
      @Override
      public SourceReader<Object> createReader(TaskInfo taskInfo) {
        return new SourceReader<>() {
          private long next;

          @Override
          public void open() {
            Recorder.add(id, "open");
          }

          @Override
          public InputStatus pollNext(Collector<Object> output) {
            if (next % 50 == 49) {
              next++;
              return InputStatus.NOTHING_AVAILABLE;
            }
            output.collect(next++);
            return InputStatus.MORE_AVAILABLE;
          }

          @Override
          public long nanosUntilAvailable() {
            return 60_000_000_000L;
          }

          @Override
          public void close() {
            Recorder.add(id, "close");
          }
        };
      }

      @Override
      public boolean isBounded() {
        return false;
      }
    };
  }
}

package io.baton.api;

import io.baton.api.connector.InputStatus;
import io.baton.api.connector.Sink;
import io.baton.api.connector.SinkWriter;
import io.baton.api.connector.Source;
import io.baton.api.connector.SourceReader;
import io.baton.api.functions.TaskInfo;

/** Sources and sinks that are never run: the graph builder only carries them. */
final class TestSources {
  private TestSources() {}

  static final class Words implements Source<String> {
    @Override
    public SourceReader<String> createReader(TaskInfo taskInfo) {
      return output -> InputStatus.END_OF_INPUT;
    }

    @Override
    public boolean isBounded() {
      return true;
    }
  }

  static final class Discard<T> implements Sink<T> {
    @Override
    public SinkWriter<T> createWriter(TaskInfo taskInfo) {
      return record -> {};
    }
  }
}

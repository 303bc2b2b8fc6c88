package io.baton.api.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PrintSinkTest {
  @Test
  void printsEachRecordAfterTheSubtaskIndex() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintSink.PrintSinkWriter<Object> writer =
        new PrintSink.PrintSinkWriter<>(new PrintStream(bytes, true, StandardCharsets.UTF_8), 2);

    writer.write("hello");
    writer.write(42);
    writer.finish();

    assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly("2> hello", "2> 42");
  }
}

package io.baton.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** What users see of an error is its message chain in one line, never stack frames. */
class ErrorLinesTest {

  @Test
  void aChainNamesEachCauseOnceWithItsType() {
    IOException root = new IOException("disk gone");
    Throwable error =
        new IllegalStateException("could not restore", new UncheckedIOException("reading", root));

    assertThat(ErrorLines.chain(error))
        .isEqualTo(
            "java.lang.IllegalStateException: could not restore; caused by"
                + " java.io.UncheckedIOException: reading; caused by java.io.IOException: disk gone");
    // a wrapper whose message is its cause's text already: the cause is not named twice
    assertThat(ErrorLines.chain(new RuntimeException(root)))
        .isEqualTo("java.lang.RuntimeException: java.io.IOException: disk gone");
  }

  @Test
  void aPrintedStackTraceBecomesItsMessageChain() {
    StringWriter printed = new StringWriter();
    new IllegalStateException("task failed", new IOException("no space left"))
        .printStackTrace(new PrintWriter(printed));
    assertThat(printed.toString()).contains("\tat ").contains("... ");

    assertThat(ErrorLines.oneLine(printed.toString()))
        .isEqualTo(
            "java.lang.IllegalStateException: task failed; caused by java.io.IOException: no"
                + " space left");
  }

  @Test
  void textWithoutFramesKeepsItsWordsOnOneLine() {
    assertThat(ErrorLines.oneLine("first line\n  at least one more\n\nlast"))
        .isEqualTo("first line at least one more last");
    assertThat(ErrorLines.oneLine(null)).isNull();
  }
}

package io.baton.coordinator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgramArgumentsTest {

  @Test
  void splitsAtWhiteSpace() {
    assertThat(ProgramArguments.split("  --input /data/in.csv\t--rate 10 "))
        .containsExactly("--input", "/data/in.csv", "--rate", "10");
  }

  @Test
  void keepsQuotedTextTogether() {
    assertThat(ProgramArguments.split("--name \"word count\" --sep ' ' --empty \"\""))
        .containsExactly("--name", "word count", "--sep", " ", "--empty", "");
  }

  @Test
  void nothingGivesNoArguments() {
    assertThat(ProgramArguments.split(null)).isEmpty();
    assertThat(ProgramArguments.split("   ")).isEmpty();
  }
}

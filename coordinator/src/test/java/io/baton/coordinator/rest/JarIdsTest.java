package io.baton.coordinator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JarIdsTest {
  private static final String KEY = "0123456789abcdef".repeat(4);

  @Test
  void anIdIsTheKeyAndAUrlSafeFileName() {
    assertThat(JarIds.idOf(KEY, "C:\\jobs\\my job (v2).jar")).isEqualTo(KEY + "_my_job__v2_.jar");
    assertThat(JarIds.idOf(KEY, "/tmp/wordcount.jar")).isEqualTo(KEY + "_wordcount.jar");
    assertThat(JarIds.idOf(KEY, "")).isEqualTo(KEY + "_job.jar");
  }

  @Test
  void onlyTheKeyPartNamesTheJar() {
    assertThat(JarIds.keyOf(KEY + "_anything.jar")).contains(KEY);
    assertThat(JarIds.keyOf(KEY)).contains(KEY);
    assertThat(JarIds.keyOf("../../etc/passwd")).isEmpty();
    assertThat(JarIds.nameOf(KEY + "_wordcount.jar")).isEqualTo("wordcount.jar");
  }
}

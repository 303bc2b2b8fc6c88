package io.baton.common.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadDumpTest {

  @Test
  void aDeepStackIsShownWithAllItsFramesNotTheFirstEight() throws Exception {
    CountDownLatch parked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread deep = new Thread(() -> descend(20, parked, release), "deep-stack-for-thread-dump-test");
    deep.start();
    try {
      assertThat(parked.await(10, TimeUnit.SECONDS)).isTrue();
      String text =
          ThreadDump.ofThisJvm().threads().stream()
              .filter(t -> t.threadName().equals("deep-stack-for-thread-dump-test"))
              .findFirst()
              .orElseThrow()
              .stringifiedThreadInfo();
      assertThat(text).startsWith("\"deep-stack-for-thread-dump-test\" prio=");
      assertThat(text.split("\tat .*ThreadDumpTest\\.descend", -1).length - 1)
          .as("frames of the recursion in %s", text)
          .isGreaterThanOrEqualTo(20);
    } finally {
      release.countDown();
      deep.join(10_000);
    }
  }

  private static void descend(int levels, CountDownLatch parked, CountDownLatch release) {
    if (levels > 0) {
      descend(levels - 1, parked, release);
      return;
    }
    parked.countDown();
    try {
      release.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

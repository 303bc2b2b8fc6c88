package io.baton.common.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SingleThreadMainThreadExecutorTest {
  private final SingleThreadMainThreadExecutor mainThread =
      new SingleThreadMainThreadExecutor("Dispatcher", "baton-dispatcher");

  @AfterEach
  void stop() {
    mainThread.shutdown(Duration.ofSeconds(5));
  }

  @Test
  void theAssertionNamesTheComponentAndTheOffendingThread() {
    String testThread = Thread.currentThread().getName();

    assertThatThrownBy(mainThread::assertRunningInMainThread)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Dispatcher was called on thread '"
                + testThread
                + "', but only its main thread 'baton-dispatcher' may touch its state");
  }

  @Test
  void workHandedOverRunsOnTheNamedMainThreadAndPassesTheAssertion() throws Exception {
    String ranOn =
        mainThread
            .call(
                () -> {
                  mainThread.assertRunningInMainThread();
                  return Thread.currentThread().getName();
                })
            .get(5, TimeUnit.SECONDS);

    assertThat(ranOn).isEqualTo("baton-dispatcher");
  }

  @Test
  void anotherComponentsMainThreadFailsTheAssertion() throws Exception {
    SingleThreadMainThreadExecutor other =
        new SingleThreadMainThreadExecutor("ResourceManager", "baton-resource-manager");
    try {
      Throwable failure =
          other
              .call(
                  () -> {
                    try {
                      mainThread.assertRunningInMainThread();
                      return null;
                    } catch (IllegalStateException e) {
                      return e;
                    }
                  })
              .get(5, TimeUnit.SECONDS);

      assertThat(failure)
          .hasMessage(
              "Dispatcher was called on thread 'baton-resource-manager', but only its main thread"
                  + " 'baton-dispatcher' may touch its state");
    } finally {
      other.shutdown(Duration.ofSeconds(5));
    }
  }
}

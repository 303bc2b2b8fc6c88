package io.baton.drill;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Sends a signal to a process with kill(1): SIGSTOP and SIGCONT have no Java API. */
final class Signals {
  private Signals() {}

  /** Sends {@code signal} (KILL, TERM, STOP, CONT) to pid; fails with one line otherwise. */
  static void send(long pid, String signal) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-s", signal, Long.toString(pid))
              .redirectErrorStream(true)
              .start();
      if (!kill.waitFor(10, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
        throw new DrillException("kill -s " + signal + " " + pid + " did not return");
      }
      if (kill.exitValue() != 0) {
        String why = new String(kill.getInputStream().readAllBytes()).trim();
        throw new DrillException("kill -s " + signal + " " + pid + " failed: " + why);
      }
    } catch (IOException e) {
      throw new DrillException("cannot run kill: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DrillException("interrupted while signalling " + pid, e);
    }
  }
}

package io.baton.drill;

import java.time.Clock;
import java.time.Duration;

/**
 * Hits a victim with a signal and puts the cluster's shape back: a killed or stopped process is
 * started again at once through its bin/ script (as bin/start-cluster.sh started it), a paused one
 * is resumed with SIGCONT when {@link #resume} is called. Until then the repair is registered with
 * {@link Repairs}, so an interrupted drill still does it.
 */
final class FaultInjector {
  private static final Duration RESTART_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);

  private final BinScripts scripts;
  private final Repairs repairs;
  private final Clock clock;
  private final Duration stopTimeout;

  /**
   * @param stopTimeout how long a SIGTERMed process may take to exit before it gets SIGKILL (as
   *     BATON_STOP_TIMEOUT in bin/)
   */
  FaultInjector(BinScripts scripts, Repairs repairs, Clock clock, Duration stopTimeout) {
    this.scripts = scripts;
    this.repairs = repairs;
    this.clock = clock;
    this.stopTimeout = stopTimeout;
  }

  /** A fault in progress: when it was injected, and the pending SIGCONT of a pause. */
  record Injected(long at, long resumeKey) {}

  /**
   * Sends the signal; for KILL and TERM waits for the exit and starts the process again. Returns
   * the epoch millis at which the signal was sent.
   */
  Injected inject(Victim victim, FaultSignal signal) {
    if (signal == FaultSignal.STOP) {
      long key =
          repairs.add(
              new Repairs.Repair() {
                @Override
                public String describe() {
                  return "resuming " + victim.target().optionName() + " pid " + victim.pid();
                }

                @Override
                public void run() {
                  Signals.send(victim.pid(), "CONT");
                }
              });
      long at = clock.millis();
      Signals.send(victim.pid(), "STOP");
      return new Injected(at, key);
    }
    long key =
        repairs.add(
            new Repairs.Repair() {
              @Override
              public String describe() {
                return "starting the "
                    + victim.target().optionName()
                    + " "
                    + victim.address()
                    + " again";
              }

              @Override
              public void run() {
                awaitExit(victim.pid(), EXIT_TIMEOUT);
                restart(victim);
              }
            });
    long at = clock.millis();
    Signals.send(victim.pid(), signal.name());
    awaitExit(victim.pid(), signal == FaultSignal.TERM ? stopTimeout : EXIT_TIMEOUT);
    if (LocalProcesses.alive(victim.pid())) {
      // as bin/daemon.sh's stop does after its timeout
      Signals.send(victim.pid(), "KILL");
      awaitExit(victim.pid(), EXIT_TIMEOUT);
    }
    if (repairs.take(key)) {
      restart(victim);
    }
    return new Injected(at, -1);
  }

  /** Resumes a paused victim (unless the shutdown hook did already). */
  void resume(Victim victim, Injected fault) {
    if (fault.resumeKey() >= 0 && repairs.take(fault.resumeKey())) {
      Signals.send(victim.pid(), "CONT");
    }
  }

  private void restart(Victim victim) {
    scripts.run(
        RESTART_TIMEOUT,
        victim.restart().get(0),
        victim.restart().subList(1, victim.restart().size()).toArray(String[]::new));
  }

  private static void awaitExit(long pid, Duration timeout) {
    ProcessHandle.of(pid)
        .ifPresent(
            p -> {
              try {
                p.onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
              } catch (java.util.concurrent.TimeoutException e) {
                // the caller decides what a process that did not exit means
              } catch (java.util.concurrent.ExecutionException e) {
                throw new DrillException("waiting for pid " + pid + " to exit failed", e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DrillException("interrupted while pid " + pid + " exited", e);
              }
            });
  }
}

package io.baton.drill;

import java.util.Locale;

/** How a drill's fault hits its target, as {@code --signal} names it. */
public enum FaultSignal {
  /** SIGKILL: a crash; the process is started again through its bin/ script. */
  KILL,
  /** SIGTERM: a graceful stop; the process is started again through its bin/ script. */
  TERM,
  /** SIGSTOP, and SIGCONT once the pause outlasted the timeout that notices it. */
  STOP;

  /** {@code SIGKILL}, {@code SIGTERM}, {@code SIGSTOP}. */
  public String signalName() {
    return "SIG" + name();
  }

  /** The signal {@code --signal value} names (with or without "SIG"); one line otherwise. */
  static FaultSignal parse(String value) {
    String name = value.trim().toUpperCase(Locale.ROOT);
    if (name.startsWith("SIG")) {
      name = name.substring(3);
    }
    for (FaultSignal s : values()) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("--signal takes KILL|TERM|STOP, not '" + value + "'");
  }
}

package io.baton.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/** What tests look for in the logs of Baton processes. */
final class ProcessLogs {
  private ProcessLogs() {}

  /** A JobManager saying that it gave up (or was stripped of) its leadership. */
  static final Pattern LEADERSHIP_LOST =
      Pattern.compile(
          "(?i)(leadership[^\\n]{0,80}(revoked|lost|suspended)|LeadershipLost|no longer lead)");

  /** A TaskManager starting a task: {@code Deploying <task> of job <name> (<id>), ...}. */
  static final String DEPLOYING = "Deploying ";

  /** {@link JvmProcess#logLength}, for use in lambdas. */
  static int lengthOf(JvmProcess process) {
    try {
      return process.logLength();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

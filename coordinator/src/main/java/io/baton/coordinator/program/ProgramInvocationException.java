package io.baton.coordinator.program;

/**
 * A job jar that cannot become a job: not a jar, no main class, a main() that fails or builds no
 * valid graph. The message is one line that says why, fit for an HTTP 400 body or the CLI.
 */
public class ProgramInvocationException extends Exception {
  public ProgramInvocationException(String message) {
    super(message);
  }

  public ProgramInvocationException(String message, Throwable cause) {
    super(message, cause);
  }
}

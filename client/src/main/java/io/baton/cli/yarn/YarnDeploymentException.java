package io.baton.cli.yarn;

/** Why a YARN session could not be deployed, found or stopped: one line naming what and where. */
public final class YarnDeploymentException extends RuntimeException {
  public YarnDeploymentException(String message) {
    super(message);
  }

  public YarnDeploymentException(String message, Throwable cause) {
    super(message, cause);
  }
}

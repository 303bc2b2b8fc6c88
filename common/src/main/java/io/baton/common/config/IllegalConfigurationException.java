package io.baton.common.config;

/** A configuration that cannot be used; the message is one line naming the key and the problem. */
public class IllegalConfigurationException extends RuntimeException {
  public IllegalConfigurationException(String message) {
    super(message);
  }

  public IllegalConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}

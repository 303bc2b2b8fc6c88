package io.baton.coordinator.rpc;

/** A server could not bind because its port is taken; the message names the key and port. */
public class PortInUseException extends RuntimeException {
  public PortInUseException(String key, int port, Throwable cause) {
    super(key + " " + port + " is already in use", cause);
  }
}

package io.baton.common.cluster;

import java.util.Objects;

/**
 * Where a process serves its RPC endpoints: host and port. An empty host or port 0 (a message that
 * named none) is the receiver's to refuse, as only it knows what it needs the address for.
 */
public record RpcAddress(String host, int port) {

  public RpcAddress {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "RPC port " + port + " of " + host + " is not in 0..65535");
    }
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}

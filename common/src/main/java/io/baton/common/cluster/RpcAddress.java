package io.baton.common.cluster;

/** Where a process serves its RPC endpoints: host and port. */
public record RpcAddress(String host, int port) {

  public RpcAddress {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("an RPC address needs a host");
    }
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

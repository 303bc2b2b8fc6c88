package io.baton.common.rpc;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Asks the process serving a JobManager RPC address which JobManager instance it is (the {@code
 * Identify} call), through the channels TaskManagers use, so internal TLS applies. Used from one
 * thread only: it keeps one channel, to the last address asked.
 */
public final class JobManagerIdentityClient implements AutoCloseable {
  private final GrpcChannelFactory channels;
  private ManagedChannel channel;
  private String channelAddress;

  public JobManagerIdentityClient(GrpcChannelFactory channels) {
    this.channels = channels;
  }

  /**
   * The instance id the process at {@code host:port} answers, empty when it answers none.
   *
   * @throws CallFailedException when the call fails or exceeds {@code deadline}, naming the gRPC
   *     status code (e.g. {@code DEADLINE_EXCEEDED}, {@code UNAVAILABLE})
   */
  public String identify(String host, int port, Duration deadline) throws CallFailedException {
    try {
      return JobManagerServiceGrpc.newBlockingStub(channelTo(host, port))
          .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
          .identify(IdentifyRequest.getDefaultInstance())
          .getInstanceId();
    } catch (StatusRuntimeException e) {
      throw new CallFailedException(e.getStatus().getCode().name(), e);
    }
  }

  private ManagedChannel channelTo(String host, int port) {
    String address = host + ":" + port;
    if (!address.equals(channelAddress)) {
      close();
      channel = channels.forAddress(host, port).build();
      channelAddress = address;
    } else if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
      // a new process at this address must be asked now, not after the channel's back-off
      channel.resetConnectBackoff();
    }
    return channel;
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.shutdownNow();
      channel = null;
      channelAddress = null;
    }
  }

  /** The identity call failed; {@link #getMessage()} is the gRPC status code's name. */
  public static final class CallFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    CallFailedException(String statusCode, Throwable cause) {
      super(statusCode, cause);
    }
  }
}

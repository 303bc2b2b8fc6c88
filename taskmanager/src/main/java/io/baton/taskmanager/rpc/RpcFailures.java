package io.baton.taskmanager.rpc;

import io.baton.taskmanager.executor.JobManagerCallException;
import io.grpc.Status;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLException;

/** Turns gRPC's failures of calls to the JobManager into one line a TaskManager's log can show. */
final class RpcFailures {
  private RpcFailures() {}

  /** The failure as a {@link JobManagerCallException} naming the gRPC status in one line. */
  static JobManagerCallException toCallException(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return new JobManagerCallException(describe(cause), cause);
  }

  static String describe(Throwable error) {
    Status status = Status.fromThrowable(error);
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        // gRPC only says "io exception": name the TLS failure and where its settings are
        return status.getCode()
            + " (TLS handshake failed: "
            + t.getMessage()
            + "; check security.ssl.internal.*)";
      }
    }
    if (status.getCode() == Status.Code.UNKNOWN && status.getDescription() == null) {
      return error.toString();
    }
    if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
      // gRPC's own description lists channel internals; the code says enough
      return "DEADLINE_EXCEEDED (no answer in time)";
    }
    if (status.getCode() == Status.Code.UNAVAILABLE
        && "Network closed for unknown reason".equals(status.getDescription())) {
      // what a plaintext channel sees when the server expects TLS
      return "UNAVAILABLE (the connection was closed at once; is security.ssl.internal.enabled"
          + " the same on every process?)";
    }
    return status.getCode()
        + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")");
  }
}

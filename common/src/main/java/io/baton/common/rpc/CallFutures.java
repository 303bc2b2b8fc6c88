package io.baton.common.rpc;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import java.util.concurrent.CompletableFuture;

/** Turns the futures of gRPC's future stubs into the CompletableFutures Baton's components use. */
public final class CallFutures {
  private CallFutures() {}

  /** A future that completes as {@code call} does, on the thread that completes it. */
  public static <T> CompletableFuture<T> toCompletable(ListenableFuture<T> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Futures.addCallback(
        call,
        new FutureCallback<>() {
          @Override
          public void onSuccess(T value) {
            result.complete(value);
          }

          @Override
          public void onFailure(Throwable t) {
            result.completeExceptionally(t);
          }
        },
        MoreExecutors.directExecutor());
    return result;
  }
}

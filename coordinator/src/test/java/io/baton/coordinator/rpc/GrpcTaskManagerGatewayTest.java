package io.baton.coordinator.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.cluster.Acknowledgement;
import io.baton.common.cluster.FreeSlotCommand;
import io.baton.common.cluster.RpcAddress;
import io.baton.common.ids.AllocationId;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import io.baton.common.rpc.Ack;
import io.baton.common.rpc.FreeSlotRequest;
import io.baton.common.rpc.GrpcChannelFactory;
import io.baton.common.rpc.TaskManagerServiceGrpc;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway builds its channel on the first call; calls before and after close behave alike. */
class GrpcTaskManagerGatewayTest {
  private final List<FreeSlotRequest> freed = new CopyOnWriteArrayList<>();
  private Server server;
  private TaskManagerGatewayFactory gateways;

  @BeforeEach
  void startTaskManagerService() throws Exception {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                new TaskManagerServiceGrpc.TaskManagerServiceImplBase() {
                  @Override
                  public void freeSlot(FreeSlotRequest request, StreamObserver<Ack> out) {
                    freed.add(request);
                    out.onNext(Ack.newBuilder().setOk(true).build());
                    out.onCompleted();
                  }
                })
            .build()
            .start();
    gateways =
        GrpcTaskManagerGateway.factory(
            GrpcChannelFactory.plaintext(), "token-7", Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }

  private TaskManagerGateway connect() {
    return gateways.connect(TaskManagerId.random(), new RpcAddress("127.0.0.1", server.getPort()));
  }

  private static FreeSlotCommand command() {
    return new FreeSlotCommand(AllocationId.random(), JobId.random());
  }

  @Test
  void callsReachTheTaskManagerWithTheFencingToken() throws Exception {
    TaskManagerGateway gateway = connect();

    Acknowledgement first = gateway.freeSlot(command()).get(10, TimeUnit.SECONDS);
    Acknowledgement second = gateway.freeSlot(command()).get(10, TimeUnit.SECONDS);
    gateway.close();

    assertThat(first.ok()).isTrue();
    assertThat(second.ok()).isTrue();
    assertThat(freed).hasSize(2).allMatch(r -> r.getFencingToken().equals("token-7"));
  }

  @Test
  void aClosedGatewayFailsItsCallsAsUnavailableWhetherItEverCalledOrNot() throws Exception {
    TaskManagerGateway neverCalled = connect();
    TaskManagerGateway called = connect();
    called.freeSlot(command()).get(10, TimeUnit.SECONDS);

    neverCalled.close();
    called.close();

    for (TaskManagerGateway gateway : List.of(neverCalled, called)) {
      assertThatThrownBy(() -> gateway.freeSlot(command()).get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .satisfies(
              e ->
                  assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }
    assertThat(freed).hasSize(1);
  }
}

package io.baton.coordinator.rpc;

import io.baton.common.cluster.RpcAddress;
import io.baton.common.diagnostics.LogListing;
import io.baton.common.diagnostics.LogRead;
import io.baton.common.diagnostics.LogReadResult;
import io.baton.common.diagnostics.ProcessFigures;
import io.baton.common.diagnostics.ThreadDump;
import java.util.concurrent.CompletableFuture;

/**
 * What the REST API reads from a TaskManager for Flink's dashboard, in Baton's types: its log
 * files, its threads and its JVM's figures. Every call has a deadline; a call that fails completes
 * with a {@link TaskManagerCallException} saying whether the TaskManager was unreachable or did not
 * answer in time. Futures complete on an RPC thread.
 */
public interface TaskManagerDiagnostics {

  CompletableFuture<LogListing> listLogs(RpcAddress taskManager);

  CompletableFuture<LogReadResult> readLog(RpcAddress taskManager, LogRead read);

  CompletableFuture<ThreadDump> dumpThreads(RpcAddress taskManager);

  CompletableFuture<ProcessFigures> reportProcess(RpcAddress taskManager);
}

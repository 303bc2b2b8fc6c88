package io.baton.taskmanager.rpc;

import io.baton.common.ids.JobId;
import io.baton.common.rpc.BlobChunk;
import io.baton.common.rpc.BlobRequest;
import io.baton.taskmanager.executor.BlobDownloader;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Iterator;

/** Streams a job jar with JobManagerService.DownloadBlob into a temporary file, then moves it. */
public final class GrpcBlobDownloader implements BlobDownloader {
  private final GrpcJobManagerGateway gateway;
  private final Duration timeout;

  public GrpcBlobDownloader(GrpcJobManagerGateway gateway, Duration timeout) {
    this.gateway = gateway;
    this.timeout = timeout;
  }

  @Override
  public void download(JobId jobId, String blobKey, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    Path partial = target.resolveSibling(target.getFileName() + ".part");
    try (OutputStream out = Files.newOutputStream(partial)) {
      Iterator<BlobChunk> chunks =
          gateway.downloadBlob(
              BlobRequest.newBuilder().setJobId(jobId.value()).setBlobKey(blobKey).build(),
              timeout);
      while (chunks.hasNext()) {
        chunks.next().getData().writeTo(out);
      }
    } catch (StatusRuntimeException e) {
      Files.deleteIfExists(partial);
      throw new IOException(
          "could not download blob "
              + blobKey
              + " of job "
              + jobId
              + " from JobManager "
              + gateway.address()
              + ": "
              + RpcFailures.describe(e),
          e);
    }
    Files.move(
        partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}

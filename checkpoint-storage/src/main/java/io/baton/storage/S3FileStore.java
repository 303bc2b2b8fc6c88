package io.baton.storage;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.paginators.ListObjectsV2Iterable;

/**
 * Objects in one S3 bucket ({@code s3://bucket/key}) through the AWS SDK v2. A file is buffered in
 * memory up to one part and published by its PUT, or, when larger, by completing a multipart
 * upload; until then nothing is visible under its key. Directories are key prefixes ending in '/'.
 */
final class S3FileStore implements FileStore {
  private static final Logger LOG = LoggerFactory.getLogger(S3FileStore.class);

  /** Parts of multipart uploads; S3 wants at least 5 MiB per part but the last. */
  static final int DEFAULT_PART_SIZE = 16 * 1024 * 1024;

  /** The most parts one multipart upload may have. */
  private static final int MAX_PARTS = 10_000;

  /** The most keys one DeleteObjects request takes. */
  private static final int DELETE_BATCH = 1000;

  private final S3Client client;
  private final String bucket;
  private final String endpoint;
  private final int partSize;

  /**
   * @param endpoint where the client sends requests, for error messages
   * @param partSize bytes buffered per stream; a file larger than this goes up as a multipart
   *     upload in parts of this size
   */
  S3FileStore(S3Client client, String bucket, String endpoint, int partSize) {
    if (partSize <= 0) {
      throw new IllegalArgumentException("part size must be positive: " + partSize);
    }
    this.client = client;
    this.bucket = bucket;
    this.endpoint = endpoint;
    this.partSize = partSize;
  }

  static S3FileStore create(String bucket, S3Settings settings) {
    return new S3FileStore(
        settings.newClient(), bucket, settings.endpointDescription(), DEFAULT_PART_SIZE);
  }

  @Override
  public AtomicOutputStream create(URI path) throws IOException {
    String key = key(path);
    if (key.isEmpty() || key.endsWith("/")) {
      throw new IOException(path + " names a directory, not a file");
    }
    return new S3OutputStream(path, key);
  }

  @Override
  public InputStream open(URI path) throws IOException {
    String key = key(path);
    try {
      return client.getObject(b -> b.bucket(bucket).key(key));
    } catch (SdkException e) {
      throw failure(path, e);
    }
  }

  @Override
  public boolean exists(URI path) throws IOException {
    String key = key(path);
    try {
      client.headObject(b -> b.bucket(bucket).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (SdkException e) {
      IOException failure = failure(path, e);
      if (failure instanceof FileNotFoundException) {
        return false;
      }
      throw failure;
    }
  }

  @Override
  public long size(URI path) throws IOException {
    String key = key(path);
    try {
      return client.headObject(b -> b.bucket(bucket).key(key)).contentLength();
    } catch (SdkException e) {
      throw failure(path, e);
    }
  }

  @Override
  public List<URI> list(URI directory) throws IOException {
    String prefix = prefix(directory);
    List<URI> children = new ArrayList<>();
    try {
      ListObjectsV2Iterable pages =
          client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).delimiter("/"));
      for (var page : pages) {
        for (S3Object object : page.contents()) {
          // a zero-byte "directory marker" some tools create is not a file
          if (!object.key().equals(prefix)) {
            children.add(uri(object.key()));
          }
        }
        for (CommonPrefix sub : page.commonPrefixes()) {
          children.add(uri(sub.prefix()));
        }
      }
    } catch (SdkException e) {
      throw failure(directory, e);
    }
    children.sort(Comparator.naturalOrder());
    return children;
  }

  /**
   * S3 cannot rename: copies the object (the copy appears complete or not at all), then deletes.
   */
  @Override
  public void rename(URI from, URI to) throws IOException {
    String fromKey = key(from);
    String toKey = key(to);
    if (fromKey.equals(toKey)) {
      return;
    }
    try {
      client.copyObject(
          b ->
              b.sourceBucket(bucket)
                  .sourceKey(fromKey)
                  .destinationBucket(bucket)
                  .destinationKey(toKey));
    } catch (SdkException e) {
      throw failure(from, e);
    }
    delete(from);
  }

  @Override
  public void delete(URI path) throws IOException {
    String key = key(path);
    try {
      client.deleteObject(b -> b.bucket(bucket).key(key));
    } catch (NoSuchKeyException e) {
      // already gone
    } catch (SdkException e) {
      throw failure(path, e);
    }
  }

  @Override
  public void deleteRecursively(URI directory) throws IOException {
    String prefix = prefix(directory);
    try {
      List<ObjectIdentifier> batch = new ArrayList<>(DELETE_BATCH);
      for (var page : client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))) {
        for (S3Object object : page.contents()) {
          batch.add(ObjectIdentifier.builder().key(object.key()).build());
          if (batch.size() == DELETE_BATCH) {
            deleteBatch(directory, batch);
            batch.clear();
          }
        }
      }
      if (!batch.isEmpty()) {
        deleteBatch(directory, batch);
      }
    } catch (SdkException e) {
      throw failure(directory, e);
    }
  }

  private void deleteBatch(URI directory, List<ObjectIdentifier> keys) throws IOException {
    Delete delete = Delete.builder().objects(keys).quiet(true).build();
    DeleteObjectsResponse response = client.deleteObjects(b -> b.bucket(bucket).delete(delete));
    if (response.hasErrors() && !response.errors().isEmpty()) {
      S3Error first = response.errors().get(0);
      throw new StorageFailure(
          directory,
          "could not delete "
              + response.errors().size()
              + " of "
              + keys.size()
              + " objects, e.g. "
              + uri(first.key())
              + ": "
              + first.code()
              + " "
              + first.message(),
          null);
    }
  }

  @Override
  public void close() {
    client.close();
  }

  /** The object key of a URI in this bucket: its path without the leading '/'. */
  private String key(URI uri) {
    if (!bucket.equals(uri.getAuthority())) {
      throw new IllegalArgumentException(uri + " is not in bucket " + bucket);
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    return path.startsWith("/") ? path.substring(1) : path;
  }

  /** The key prefix of a directory URI: its key ending in '/', or empty for the bucket's root. */
  private String prefix(URI directory) {
    String key = key(directory);
    return key.isEmpty() || key.endsWith("/") ? key : key + "/";
  }

  private URI uri(String key) {
    return StorageUris.of("s3", bucket, "/" + key);
  }

  /** One line naming the URI and what went wrong, or FileNotFoundException for a missing key. */
  private IOException failure(URI uri, SdkException e) {
    if (e instanceof NoSuchBucketException) {
      return bucketMissing(uri, e);
    }
    if (e instanceof NoSuchKeyException) {
      return new FileNotFoundException(uri + " does not exist");
    }
    if (e instanceof AwsServiceException service) {
      int status = service.statusCode();
      String code =
          service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
      String message =
          service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorMessage();
      if ("NoSuchBucket".equals(code)) {
        return bucketMissing(uri, e);
      }
      if (status == 404) {
        return new FileNotFoundException(uri + " does not exist");
      }
      String detail =
          (code == null ? "HTTP " + status : code)
              + (message == null ? "" : ": " + StorageFailure.firstLine(message));
      if (status == 403 || status == 401) {
        return new StorageFailure(
            uri,
            "access denied by "
                + endpoint
                + " ("
                + detail
                + "); check s3.access-key and s3.secret-key, or the default AWS credentials",
            e);
      }
      return new StorageFailure(uri, "S3 at " + endpoint + " refused the request: " + detail, e);
    }
    if (String.valueOf(e.getMessage()).startsWith("Unable to load credentials")) {
      return new StorageFailure(
          uri,
          "no S3 credentials: set s3.access-key and s3.secret-key, or give them to the AWS default"
              + " credential chain (environment, system properties, profile, container or instance"
              + " role)",
          e);
    }
    if (e instanceof SdkClientException && hasIoCause(e)) {
      return new StorageFailure(
          uri, "cannot reach S3 at " + endpoint + ": " + StorageFailure.describe(e), e);
    }
    return new StorageFailure(
        uri, "S3 client failed: " + StorageFailure.firstLine(String.valueOf(e.getMessage())), e);
  }

  private StorageFailure bucketMissing(URI uri, SdkException e) {
    return new StorageFailure(uri, "bucket '" + bucket + "' does not exist at " + endpoint, e);
  }

  private static boolean hasIoCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /**
   * Buffers up to one part in memory. Small files go up in one PUT on close; larger ones start a
   * multipart upload when the first part is full, and close completes it. Abort drops the buffer
   * and aborts the upload, so no key and no billed parts remain.
   */
  private final class S3OutputStream extends AtomicOutputStream {
    private final URI uri;
    private final String key;
    private byte[] buffer = new byte[Math.min(partSize, 64 * 1024)];
    private int count;
    private String uploadId;
    private final List<CompletedPart> parts = new ArrayList<>();
    private boolean done;

    S3OutputStream(URI uri, String key) {
      this.uri = uri;
      this.key = key;
    }

    @Override
    public void write(int b) throws IOException {
      if (done) {
        throw new IOException("stream for " + uri + " is already closed");
      }
      if (count == partSize) {
        uploadPart();
      }
      if (count == buffer.length) {
        buffer = Arrays.copyOf(buffer, (int) Math.min(partSize, 2L * buffer.length));
      }
      buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (done) {
        throw new IOException("stream for " + uri + " is already closed");
      }
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      while (len > 0) {
        if (count == partSize) {
          uploadPart();
        }
        if (count == buffer.length) {
          buffer = Arrays.copyOf(buffer, (int) Math.min(partSize, 2L * buffer.length));
        }
        int n = Math.min(len, buffer.length - count);
        System.arraycopy(b, off, buffer, count, n);
        count += n;
        off += n;
        len -= n;
      }
    }

    @Override
    public void close() throws IOException {
      if (done) {
        return;
      }
      done = true;
      try {
        if (uploadId == null) {
          client.putObject(b -> b.bucket(bucket).key(key).contentLength((long) count), body());
        } else {
          if (count > 0) {
            uploadPart();
          }
          String id = uploadId;
          client.completeMultipartUpload(
              b -> b.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(parts)));
        }
      } catch (SdkException e) {
        abortUpload();
        throw failure(uri, e);
      } catch (IOException | RuntimeException e) {
        abortUpload();
        throw e;
      } finally {
        buffer = null;
      }
    }

    @Override
    public void abort() {
      if (done) {
        return;
      }
      done = true;
      buffer = null;
      abortUpload();
    }

    private void uploadPart() throws IOException {
      try {
        if (uploadId == null) {
          uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        }
        int partNumber = parts.size() + 1;
        if (partNumber > MAX_PARTS) {
          throw new StorageFailure(
              uri,
              "larger than S3 allows with parts of "
                  + partSize
                  + " bytes ("
                  + MAX_PARTS
                  + " parts at most)",
              null);
        }
        String id = uploadId;
        String etag =
            client
                .uploadPart(
                    b ->
                        b.bucket(bucket)
                            .key(key)
                            .uploadId(id)
                            .partNumber(partNumber)
                            .contentLength((long) count),
                    body())
                .eTag();
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
        count = 0;
      } catch (SdkException e) {
        throw failure(uri, e);
      }
    }

    /** The buffered bytes, re-readable for the SDK's retries, without copying them. */
    private RequestBody body() {
      byte[] bytes = buffer;
      int length = count;
      return RequestBody.fromContentProvider(
          () -> new ByteArrayInputStream(bytes, 0, length), length, "application/octet-stream");
    }

    private void abortUpload() {
      if (uploadId == null) {
        return;
      }
      String id = uploadId;
      uploadId = null;
      try {
        client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id));
      } catch (SdkException e) {
        LOG.warn(
            "Could not abort the multipart upload {} of {}; a bucket lifecycle rule for incomplete"
                + " uploads removes its parts",
            id,
            uri,
            e);
      }
    }
  }
}

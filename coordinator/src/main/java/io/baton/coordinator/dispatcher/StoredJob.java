package io.baton.coordinator.dispatcher;

import io.baton.api.graph.JobGraph;
import io.baton.common.ids.JobId;
import io.baton.common.serialization.FilteredObjectInputStream;
import io.baton.common.serialization.RefusedClassException;
import io.baton.coordinator.jobmaster.JobSubmission;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;

/**
 * A job as the job graph store keeps it: the submission (graph, jar, savepoint) and how many times
 * a new leader recovered it. Java-serialized; the graph holds user objects, so reading it needs the
 * class loader of the job's jar.
 *
 * @param id the job's id
 * @param blobKey the job jar's key, or null when the job's classes are on the class path
 * @param savepointPath the savepoint the job was submitted with, or null
 */
public record StoredJob(
    String id, JobGraph graph, String blobKey, String savepointPath, int recoveries)
    implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String FORMAT = "baton-job-v1";

  public StoredJob {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(graph, "graph");
  }

  static StoredJob of(JobId jobId, JobSubmission submission, int recoveries) {
    return new StoredJob(
        jobId.value(),
        submission.graph(),
        submission.blobKey().orElse(null),
        submission.savepointPath().orElse(null),
        recoveries);
  }

  JobSubmission submission() {
    return new JobSubmission(
        graph, Optional.ofNullable(blobKey), Optional.ofNullable(savepointPath));
  }

  /** The same job, recovered once more. */
  StoredJob recoveredOnceMore() {
    return new StoredJob(id, graph, blobKey, savepointPath, recoveries + 1);
  }

  /** The job's id (kept as text: the id type is not serializable). */
  public JobId jobId() {
    return JobId.parse(id);
  }

  /**
   * The stored form: a header naming the format and the job's jar (readable without the job's
   * classes, so the jar can be fetched first), then the Java-serialized job.
   *
   * @throws IOException when something in the graph cannot be serialized
   */
  byte[] serialize() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream header = new DataOutputStream(bytes)) {
      header.writeUTF(FORMAT);
      header.writeUTF(blobKey == null ? "" : blobKey);
      try (ObjectOutputStream out = new ObjectOutputStream(header)) {
        out.writeObject(this);
      }
    }
    return bytes.toByteArray();
  }

  /**
   * Which jar a stored job needs, read from the header alone.
   *
   * @throws IOException when the bytes are not a stored job
   */
  static Optional<String> blobKeyOf(byte[] bytes) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    readFormat(in);
    String key = in.readUTF();
    return key.isEmpty() ? Optional.empty() : Optional.of(key);
  }

  /**
   * Reads a stored job, resolving classes with {@code classLoader} (the job jar's), through Baton's
   * deserialization filter.
   *
   * @param source what the bytes are, for messages (e.g. {@code the stored job graph of job <id>})
   * @throws RefusedClassException one line naming {@code source} and the class the filter refused
   * @throws IOException naming what is wrong when the bytes are not a stored job
   */
  static StoredJob deserialize(byte[] bytes, ClassLoader classLoader, String source)
      throws IOException {
    DataInputStream header = new DataInputStream(new ByteArrayInputStream(bytes));
    readFormat(header);
    header.readUTF();
    Object read;
    try (FilteredObjectInputStream in =
        new FilteredObjectInputStream(header, classLoader, source)) {
      read = in.readFiltered();
    } catch (RefusedClassException e) {
      throw e;
    } catch (ClassNotFoundException e) {
      throw new IOException("class " + e.getMessage() + " of the job is not in its jar", e);
    } catch (IOException | RuntimeException e) {
      throw new IOException("garbled job graph: " + e, e);
    }
    if (!(read instanceof StoredJob job)) {
      throw new IOException("garbled job graph: holds a " + read.getClass().getName());
    }
    return job;
  }

  private static void readFormat(DataInputStream in) throws IOException {
    String format;
    try {
      format = in.readUTF();
    } catch (IOException e) {
      throw new IOException("garbled job graph: no " + FORMAT + " header", e);
    }
    if (!format.equals(FORMAT)) {
      throw new IOException("garbled job graph: header '" + format + "' is not " + FORMAT);
    }
  }
}

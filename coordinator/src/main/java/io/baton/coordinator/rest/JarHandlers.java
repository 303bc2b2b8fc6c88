package io.baton.coordinator.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.common.ids.JobId;
import io.baton.coordinator.blob.BlobStore;
import io.baton.coordinator.dispatcher.DispatcherGateway;
import io.baton.coordinator.jobmaster.JobSubmission;
import io.baton.coordinator.program.ExtractedProgram;
import io.baton.coordinator.program.JobGraphExtractor;
import io.baton.coordinator.program.ProgramInvocationException;
import io.baton.coordinator.program.ProgramRequest;
import io.baton.coordinator.rest.ResponseBodies.JarEntry;
import io.baton.coordinator.rest.ResponseBodies.JarList;
import io.baton.coordinator.rest.ResponseBodies.RunResult;
import io.baton.coordinator.rest.ResponseBodies.Uploaded;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /jars}: upload, list, delete, and run a jar as a job. */
final class JarHandlers {
  private static final Logger LOG = LoggerFactory.getLogger(JarHandlers.class);

  /** The form field Flink's web UI and CLI upload the jar in. */
  static final String FORM_FIELD = "jarfile";

  private final BlobStore blobStore;
  private final DispatcherGateway dispatcher;
  private final DispatcherCalls calls;
  private final JobGraphExtractor extractor;
  private final ObjectMapper json;
  private final long maxUploadBytes;

  private final StorageTargetField targets;

  JarHandlers(
      BlobStore blobStore,
      DispatcherGateway dispatcher,
      DispatcherCalls calls,
      JobGraphExtractor extractor,
      ObjectMapper json,
      long maxUploadBytes,
      StorageTargetField targets) {
    this.targets = targets;
    this.blobStore = blobStore;
    this.dispatcher = dispatcher;
    this.calls = calls;
    this.extractor = extractor;
    this.json = json;
    this.maxUploadBytes = maxUploadBytes;
  }

  /** Refuses a too large upload before its body is read, when it says its length. */
  void checkUploadSize(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    // the multipart framing around the jar is small; the jar's own size is checked after parsing
    if (declared > maxUploadBytes + 64 * 1024) {
      throw tooLarge(declared);
    }
  }

  void upload(Context ctx) {
    UploadedFile file;
    try {
      file = ctx.uploadedFile(FORM_FIELD);
    } catch (RuntimeException e) {
      if (mentionsSizeLimit(e)) {
        throw tooLarge(-1);
      }
      throw RestException.badRequest(
          "cannot read the multipart body: " + DispatcherCalls.describe(e));
    }
    if (file == null) {
      throw RestException.badRequest(
          "POST /jars/upload expects a multipart form with the jar in the field '"
              + FORM_FIELD
              + "'");
    }
    if (file.size() > maxUploadBytes) {
      throw tooLarge(file.size());
    }
    String name = JarIds.safeName(file.filename());
    String key;
    try (InputStream content = file.content()) {
      key = blobStore.put(content, name);
      checkIsJar(key, name);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the uploaded jar " + name, e);
    }
    String id = JarIds.idOf(key, name);
    LOG.info("Jar {} uploaded as {}", name, id);
    ctx.json(new Uploaded(id, "success"));
  }

  void list(Context ctx) {
    ctx.json(
        new JarList(
            blobStore.list().stream()
                .map(jar -> ResponseBodies.JarFile.of(jar, entryOf(jar)))
                .toList()));
  }

  /**
   * The main class the jar's manifest names, as the dashboard's submit page lists it; none for a
   * jar without one or one that cannot be read any more (it was checked on upload: a jar deleted
   * meanwhile, or a damaged file, only lists without its entry).
   */
  private List<JarEntry> entryOf(BlobStore.StoredJar jar) {
    try (JarFile file = new JarFile(blobStore.localFile(jar.key()).toFile())) {
      Manifest manifest = file.getManifest();
      String main =
          manifest == null
              ? null
              : manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
      return main == null || main.isBlank() ? List.of() : List.of(new JarEntry(main.trim(), null));
    } catch (IOException | RuntimeException e) {
      LOG.info("Jar {} lists without its main class: {}", jar.name(), e.toString());
      return List.of();
    }
  }

  void delete(Context ctx) throws IOException {
    String id = ctx.pathParam("id");
    blobStore.delete(existingKey(id));
    ctx.json(Map.of());
  }

  void run(Context ctx) throws IOException {
    String jarId = ctx.pathParam("id");
    String key = existingKey(jarId);
    RunRequest run = RunRequest.parse(ctx, json);
    run.savepointPath().ifPresent(path -> targets.check("savepointPath", path));
    Path jar = blobStore.localFile(key);
    ExtractedProgram program;
    try {
      program =
          extractor.extract(
              new ProgramRequest(
                  jar, JarIds.nameOf(jarId), run.entryClass(), run.args(), run.parallelism()));
    } catch (ProgramInvocationException e) {
      LOG.info("Rejected running jar {}: {}", jarId, e.getMessage());
      throw RestException.badRequest(e.getMessage());
    }
    // the dispatcher owns the class loader from here on and closes it when the job ends
    JobId jobId =
        calls.await(
            dispatcher.submitJob(
                new JobSubmission(program.graph(), Optional.of(key), run.savepointPath()), program),
            "the submission of job '" + program.graph().name() + "'");
    LOG.info("Job {} ('{}') submitted from jar {}", jobId, program.graph().name(), jarId);
    ctx.json(new RunResult(jobId.value()));
  }

  /**
   * Flink's {@code GET/POST /jars/{id}/plan}: the job graph the jar's {@code main()} builds with
   * the given arguments, as {@code {"plan": ...}}, without running it.
   */
  void plan(Context ctx) throws IOException {
    String jarId = ctx.pathParam("id");
    String key = existingKey(jarId);
    RunRequest request = RunRequest.parse(ctx, json);
    try (ExtractedProgram program =
        extractor.extract(
            new ProgramRequest(
                blobStore.localFile(key),
                JarIds.nameOf(jarId),
                request.entryClass(),
                request.args(),
                request.parallelism()))) {
      ctx.json(Map.of("plan", FlinkJobBodies.plan(program.graph())));
    } catch (ProgramInvocationException e) {
      LOG.info("No plan for jar {}: {}", jarId, e.getMessage());
      throw RestException.badRequest(e.getMessage());
    }
  }

  private String existingKey(String jarId) {
    return JarIds.keyOf(jarId)
        .filter(blobStore::contains)
        .orElseThrow(() -> RestException.notFound("jar " + jarId + " not found"));
  }

  private void checkIsJar(String key, String name) throws IOException {
    try (ZipFile zip = new ZipFile(blobStore.localFile(key).toFile())) {
      zip.size();
    } catch (ZipException notAZip) {
      // a key names content; content that is no zip can never have been stored as a jar before
      blobStore.delete(key);
      throw RestException.badRequest("not a jar file: " + name);
    }
  }

  private RestException tooLarge(long bytes) {
    String what = bytes > 0 ? "the upload of " + bytes + " bytes" : "the uploaded jar";
    return new RestException(
        413, what + " is larger than rest.upload.max-bytes (" + maxUploadBytes + " bytes)");
  }

  private static boolean mentionsSizeLimit(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && (message.contains("exceeds max") || message.contains("too large"))) {
        return true;
      }
    }
    return false;
  }
}

package io.baton.coordinator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.common.config.CheckpointingOptions;
import io.baton.common.config.Configuration;
import io.baton.storage.ConfinedDirectory;
import io.baton.storage.FileStore;
import io.baton.storage.FileStores;
import io.baton.storage.OutsideStorageException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flink's {@code POST /savepoint-disposal} ({@code {"savepoint-path": "..."}}) and {@code GET
 * /savepoint-disposal/{triggerId}}: deletes a savepoint's directory. Only a directory strictly
 * inside {@code state.savepoints.dir} that holds a {@code _metadata} file is deleted; any other
 * path is refused with one line and nothing is deleted. Checkpoint directories are never deleted
 * here: ZooKeeper's pointers may name them, and only their job master deletes them, pointer first.
 */
final class SavepointDisposalHandlers {
  private static final Logger LOG = LoggerFactory.getLogger(SavepointDisposalHandlers.class);
  private static final String FIELD = "savepoint-path";
  private static final String METADATA = "_metadata";

  private final Optional<ConfinedDirectory> savepoints;
  private final FileStores fileStores;
  private final ExecutorService io;
  private final ObjectMapper json;
  private final TriggeredOperations<CompletableFuture<Void>> operations =
      new TriggeredOperations<>();

  /**
   * @param fileStores where savepoints are deleted
   * @param io runs the deletes, which may take long on a remote store
   */
  SavepointDisposalHandlers(
      Configuration configuration, FileStores fileStores, ExecutorService io, ObjectMapper json) {
    this.savepoints =
        configuration
            .getOptional(CheckpointingOptions.SAVEPOINT_DIRECTORY)
            .map(
                dir ->
                    ConfinedDirectory.of(
                        FileStores.toUri(dir), CheckpointingOptions.SAVEPOINT_DIRECTORY.key()));
    this.fileStores = fileStores;
    this.io = io;
    this.json = json;
  }

  void trigger(Context ctx) {
    JsonNode body = RequestBodies.jsonObject(ctx, json);
    JsonNode path = body.get(FIELD);
    if (path == null || !path.isTextual() || path.asText().isBlank()) {
      throw RestException.badRequest(
          "POST /savepoint-disposal needs \"" + FIELD + "\": the savepoint's path, got " + path);
    }
    ConfinedDirectory root =
        savepoints.orElseThrow(
            () ->
                RestException.badRequest(
                    "cannot dispose of "
                        + path.asText()
                        + ": "
                        + CheckpointingOptions.SAVEPOINT_DIRECTORY.key()
                        + " is not set, and savepoints are only deleted under it"));
    URI directory;
    try {
      directory = root.confine(path.asText(), FIELD);
    } catch (OutsideStorageException e) {
      throw RestException.badRequest(e.getMessage());
    }
    String triggerId = TriggeredOperations.triggerId(body);
    if (operations.get(triggerId).isEmpty()) {
      operations.putIfAbsent(
          triggerId, CompletableFuture.runAsync(() -> dispose(directory, triggerId), io));
      LOG.info("Disposal {} of savepoint {} requested through REST", triggerId, directory);
    }
    TriggeredOperations.accepted(ctx, triggerId);
  }

  void status(Context ctx) {
    String triggerId = ctx.pathParam("triggerId");
    CompletableFuture<Void> operation =
        operations
            .get(triggerId)
            .orElseThrow(
                () -> RestException.notFound("no savepoint disposal operation " + triggerId));
    TriggeredOperations.status(
        ctx,
        operation,
        done -> {
          // Flink's AsynchronousOperationInfo: no failure
          Map<String, Object> info = new LinkedHashMap<>();
          info.put("failure-cause", null);
          return info;
        },
        cause -> LOG.info("Disposal {} failed: {}", triggerId, cause.getMessage()));
  }

  private void dispose(URI directory, String triggerId) {
    try {
      FileStore store = fileStores.forUri(directory);
      URI dir = URI.create(directory.toString().endsWith("/") ? directory + "" : directory + "/");
      if (!store.exists(dir.resolve(METADATA))) {
        throw new IllegalArgumentException(
            "no savepoint at " + directory + ": it holds no " + METADATA + " file");
      }
      store.deleteRecursively(dir);
      LOG.info("Disposal {}: savepoint {} deleted", triggerId, directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete savepoint " + directory, e);
    }
  }
}

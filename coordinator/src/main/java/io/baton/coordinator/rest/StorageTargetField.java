package io.baton.coordinator.rest;

import io.baton.storage.StorageTargets;
import java.net.URI;

/**
 * A request field naming a storage location (a savepoint's target-directory, the savepointPath to
 * restore from): a caller of the REST API chooses where the JobManager writes or reads, so anything
 * but an absolute URI on a configured scheme is an HTTP 400 naming the field.
 */
final class StorageTargetField {
  private final StorageTargets targets;

  StorageTargetField(StorageTargets targets) {
    this.targets = targets;
  }

  /**
   * @throws RestException 400 with one line naming the field, the value and what is wrong
   */
  URI check(String field, String location) {
    try {
      return targets.check(location, field);
    } catch (IllegalArgumentException e) {
      throw RestException.badRequest(e.getMessage());
    }
  }
}

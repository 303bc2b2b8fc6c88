package io.baton.cli;

import io.baton.common.config.StorageUriForm;

/**
 * A storage location given on the command line (a savepoint directory, a path to restore from): the
 * JobManager resolves it, not this shell, so a relative or bare path is refused here before
 * anything is sent. Whether the cluster can use the URI's scheme is the JobManager's answer.
 */
final class LocationArgument {
  private LocationArgument() {}

  /**
   * @param what the argument, for the message: "savepoint directory"
   * @return the location, trimmed
   * @throws CliException one line naming the argument, its value and what is wrong
   */
  static String require(String location, String what) {
    try {
      return StorageUriForm.require(location, what).toString();
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage(), e);
    }
  }
}

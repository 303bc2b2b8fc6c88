package io.baton.api;

/** Checks what a job author sets on an operator, failing at the call that got it wrong. */
final class OperatorSettings {
  private OperatorSettings() {}

  static String checkName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("an operator name must not be blank");
    }
    return name;
  }

  static String checkUid(String uid) {
    if (uid == null || uid.isBlank()) {
      throw new IllegalArgumentException("an operator uid must not be blank");
    }
    return uid;
  }

  static int checkParallelism(int parallelism, StreamNode node) {
    if (parallelism < 1) {
      throw new IllegalArgumentException(
          "parallelism of " + node + " must be at least 1, not " + parallelism);
    }
    return parallelism;
  }
}

package io.baton.ha;

/**
 * What a new leader can learn of the leadership before its own: who held it and how it was found
 * gone (see {@link FailoverRecord} for the fields).
 */
public record PreviousLeadership(
    String leaderId,
    String tokenDigest,
    FailoverRecord.Detection detection,
    String evidence,
    Long detectionMs) {

  /** No leader before. */
  public static PreviousLeadership none() {
    return new PreviousLeadership(null, null, FailoverRecord.Detection.FIRST_LEADER, null, null);
  }
}

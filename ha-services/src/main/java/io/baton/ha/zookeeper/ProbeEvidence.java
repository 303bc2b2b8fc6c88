package io.baton.ha.zookeeper;

/**
 * What one probe of the published leader's RPC endpoint saw. Only {@link Kind#REFUSED} and {@link
 * Kind#OTHER_PROCESS} prove the leader's process gone; everything else leaves it to the session
 * timeout.
 *
 * @param kind what was seen
 * @param key stays the same for the same kind of observation (e.g. a timeout) so logs are written
 *     once per change of evidence, not once per probe
 * @param detail what was seen, for logs
 */
record ProbeEvidence(Kind kind, String key, String detail) {

  /** The kinds of observation. */
  enum Kind {
    /** The leader's host answered and refused the connection: nothing listens there. */
    REFUSED,
    /** A process listens there and names another identity than the leader published. */
    OTHER_PROCESS,
    /** The leader's process answered with its own identity: it is alive. */
    LEADER_ANSWERED,
    /** Anything else: a timeout, no route, a TLS failure, an answer without identity. */
    NO_PROOF
  }

  /** Whether this observation proves that the published leader's process is gone. */
  boolean provesGone() {
    return kind == Kind.REFUSED || kind == Kind.OTHER_PROCESS;
  }

  static ProbeEvidence refused(String detail) {
    return new ProbeEvidence(Kind.REFUSED, "refused", detail);
  }

  static ProbeEvidence otherProcess(String detail) {
    return new ProbeEvidence(Kind.OTHER_PROCESS, "other-process", detail);
  }

  static ProbeEvidence leaderAnswered(String detail) {
    return new ProbeEvidence(Kind.LEADER_ANSWERED, "leader-answered", detail);
  }

  static ProbeEvidence noProof(String key, String detail) {
    return new ProbeEvidence(Kind.NO_PROOF, key, detail);
  }
}

package io.baton.coordinator.status;

/**
 * Something that happened to a job that its status alone does not tell, for the job's event history
 * in {@code GET /jobs/{id}}: e.g. a new leader adopted its running tasks, or restarted them and
 * why.
 *
 * @param timestamp epoch millis
 * @param type what kind of event, upper case (e.g. {@code ADOPTED})
 * @param message one line
 */
public record JobEvent(long timestamp, String type, String message) {

  /** A new leader took over the job's running tasks without restarting any. */
  public static final String ADOPTED = "ADOPTED";

  /** A new leader could not adopt the job's running tasks and restarted them. */
  public static final String NOT_ADOPTED = "NOT_ADOPTED";
}

package io.baton.api.connector;

/** What {@link SourceReader#pollNext} found. */
public enum InputStatus {
  /** A record was emitted and more may follow at once. */
  MORE_AVAILABLE,
  /** Nothing to emit right now (rate limit, no new data); the task polls again shortly. */
  NOTHING_AVAILABLE,
  /** The source is exhausted; it will never emit again. */
  END_OF_INPUT
}

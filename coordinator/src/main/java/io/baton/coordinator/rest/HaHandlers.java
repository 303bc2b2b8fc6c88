package io.baton.coordinator.rest;

import io.baton.common.config.ErrorLines;
import io.javalin.http.Context;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /ha}, {@code /ha/history} and {@code /ha/health}: what this JobManager knows of the
 * cluster's leadership, served by a standby as by the leader.
 */
final class HaHandlers {
  private static final Logger LOG = LoggerFactory.getLogger(HaHandlers.class);

  private final HaStatus.Source source;

  HaHandlers(HaStatus.Source source) {
    this.source = source;
  }

  void status(Context ctx) {
    ctx.json(source.current());
  }

  /** The failover history, newest first; 503 with one line when it cannot be read now. */
  void history(Context ctx) {
    try {
      ctx.json(Map.of("entries", source.history()));
    } catch (Exception e) {
      LOG.warn("GET /ha/history: cannot read the failover history", e);
      throw new RestException(
          503, "the failover history cannot be read now: " + ErrorLines.oneLine(e.getMessage()), e);
    }
  }

  void health(Context ctx) {
    ctx.json(source.health());
  }
}

package io.baton.ha;

/** Follows the published leader of a cluster and tells one listener about every change. */
public interface LeaderRetrievalService extends AutoCloseable {

  /** Starts watching; the listener hears the current state and every change after. Call once. */
  void start(LeaderRetrievalListener listener) throws Exception;

  @Override
  void close() throws Exception;
}

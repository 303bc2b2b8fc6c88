package io.baton.it.jobs;

import io.baton.api.StreamEnvironment;

/** A job that defines nothing and still calls execute(). */
public final class EmptyJob {
  private EmptyJob() {}

  public static void main(String[] args) throws Exception {
    StreamEnvironment.getEnvironment().execute("empty");
  }
}

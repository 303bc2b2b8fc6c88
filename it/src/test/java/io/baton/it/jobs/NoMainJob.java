package io.baton.it.jobs;

/** A class without a main method, packed in a jar without a Main-Class. */
public final class NoMainJob {
  private NoMainJob() {}
}

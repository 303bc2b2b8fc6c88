package io.baton.it.jobs;

/** A job whose main() ends the JVM it runs in before it builds anything. */
public final class ExitingMainJob {
  private ExitingMainJob() {}

  public static void main(String[] args) {
    System.exit(3);
  }
}

package io.baton.coordinator.program;

import io.baton.api.StreamEnvironment;
import io.baton.common.classloading.UserCodeClassLoader;
import io.baton.coordinator.program.ProgramWorkDir.Outcome;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The entry point of the short-lived JVM in which a job's {@code main()} builds its job graph, so
 * that whatever main() does (System.exit, an endless loop, running out of memory) cannot stop or
 * starve the JobManager: {@code JobGraphBuilderMain WORK_DIR JAR MAIN_CLASS PARALLELISM [ARG ...]}.
 * Hands the graph and how main() ended over through {@link ProgramWorkDir}; {@link ProgramJvm}
 * starts it and reads the result.
 */
public final class JobGraphBuilderMain {
  /** Exit status when the child itself could not do its job (not main()'s doing). */
  static final int BROKEN = 70;

  private JobGraphBuilderMain() {}

  public static void main(String[] args) {
    if (args.length < 4) {
      System.err.println(
          "usage: JobGraphBuilderMain WORK_DIR JAR MAIN_CLASS PARALLELISM [ARG ...]");
      Runtime.getRuntime().halt(BROKEN);
    }
    ProgramWorkDir work = new ProgramWorkDir(Path.of(args[0]));
    try {
      work.markStarted();
      Outcome outcome =
          runMain(
              work,
              Path.of(args[1]),
              args[2],
              Integer.parseInt(args[3]),
              Arrays.copyOfRange(args, 4, args.length));
      work.writeOutcome(outcome);
    } catch (Throwable t) {
      t.printStackTrace();
      System.err.flush();
      Runtime.getRuntime().halt(BROKEN);
    }
    System.out.flush();
    System.err.flush();
    // halt, not exit: threads and shutdown hooks main() left behind have no say any more
    Runtime.getRuntime().halt(0);
  }

  private static Outcome runMain(
      ProgramWorkDir work, Path jar, String mainClassName, int parallelism, String[] argv)
      throws Exception {
    UserCodeClassLoader loader =
        new UserCodeClassLoader(
            new URL[] {jar.toUri().toURL()}, JobGraphBuilderMain.class.getClassLoader());
    Thread.currentThread().setContextClassLoader(loader);
    CapturingJobExecutor executor =
        new CapturingJobExecutor(parallelism, mainClassName, work::writeGraph);
    try {
      Method main = Class.forName(mainClassName, true, loader).getMethod("main", String[].class);
      StreamEnvironment.runWithExecutor(executor, () -> main.invoke(null, (Object) argv));
    } catch (Throwable t) {
      Throwable root = ErrorText.rootCause(t);
      if (root instanceof OutOfMemoryError) {
        return new Outcome(Outcome.Kind.OUT_OF_MEMORY, ErrorText.describe(root));
      }
      if (!executor.executedMoreThanOnce()) {
        return Outcome.failed(
            "main() of " + mainClassName + " failed: " + ErrorText.describe(root));
      }
    }
    if (executor.executedMoreThanOnce()) {
      return Outcome.failed("main() of " + mainClassName + " submitted more than one job");
    }
    if (executor.graph().isEmpty()) {
      return Outcome.failed("main() of " + mainClassName + " did not call execute()");
    }
    return new Outcome(Outcome.Kind.HANDED_OVER, "");
  }
}

package io.baton.coordinator.program;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What to run: a job jar, its main class and arguments.
 *
 * @param jar the jar's local file
 * @param jarName how the user knows the jar (its uploaded name), for messages
 * @param entryClass the main class; empty means the manifest's Main-Class
 * @param args the arguments of main()
 * @param parallelism of operators that set none; empty means parallelism.default
 */
public record ProgramRequest(
    Path jar,
    String jarName,
    Optional<String> entryClass,
    List<String> args,
    OptionalInt parallelism) {

  public ProgramRequest {
    Objects.requireNonNull(jar, "jar");
    Objects.requireNonNull(jarName, "jarName");
    entryClass = entryClass.map(String::trim).filter(s -> !s.isEmpty());
    args = List.copyOf(args);
  }

  /** Runs {@code jar}'s Main-Class without arguments at the default parallelism. */
  public static ProgramRequest of(Path jar) {
    return new ProgramRequest(
        jar, jar.getFileName().toString(), Optional.empty(), List.of(), OptionalInt.empty());
  }
}

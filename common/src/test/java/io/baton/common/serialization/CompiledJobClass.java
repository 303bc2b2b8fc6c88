package io.baton.common.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles one class of package {@code job} from source, as a job jar would bring it. */
final class CompiledJobClass {
  private CompiledJobClass() {}

  /**
   * @return a class loader over the compiled class, child of {@code parent}; the caller closes it
   */
  static URLClassLoader compile(Path dir, String simpleName, String source, ClassLoader parent)
      throws IOException {
    Path file = dir.resolve("src/job/" + simpleName + ".java");
    Files.createDirectories(file.getParent());
    Files.writeString(file, source);
    Path classes = dir.resolve("classes");
    Files.createDirectories(classes);
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    assertThat(compiler.run(null, null, null, "-d", classes.toString(), file.toString())).isZero();
    return new URLClassLoader(new URL[] {classes.toUri().toURL()}, parent);
  }
}

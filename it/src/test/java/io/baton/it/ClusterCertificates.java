package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.config.Configuration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Certificates and a REST token made as an operator makes them: by {@code bin/baton-certs.sh
 * <dir>}, whose printed configuration keys are what a cluster (or an intruder with another CA) adds
 * to its configuration.
 *
 * @param dir where the script wrote the stores and the token
 * @param keys the {@code key: value} lines it printed
 */
record ClusterCertificates(Path dir, Map<String, String> keys) {
  private static final Path SCRIPT =
      Path.of("..").toAbsolutePath().normalize().resolve("bin").resolve("baton-certs.sh");

  /** Runs the script into {@code dir} and checks what it made. */
  static ClusterCertificates make(Path dir) throws IOException, InterruptedException {
    Path output = Files.createTempFile("baton-certs", ".out");
    Process script =
        new ProcessBuilder("bash", SCRIPT.toString(), dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    if (!script.waitFor(3, TimeUnit.MINUTES)) {
      script.destroyForcibly();
      throw new AssertionError("bin/baton-certs.sh did not finish in 3 minutes");
    }
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    assertThat(script.exitValue()).as("bin/baton-certs.sh: %s", printed).isZero();
    Map<String, String> keys = new LinkedHashMap<>();
    printed
        .lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .forEach(
            l -> {
              int colon = l.indexOf(": ");
              keys.put(l.substring(0, colon).trim(), l.substring(colon + 2).trim());
            });
    assertThat(keys)
        .containsKeys(
            "security.ssl.internal.enabled",
            "security.ssl.internal.keystore",
            "security.ssl.rest.enabled",
            "security.ssl.rest.truststore",
            "rest.auth.type",
            "rest.auth.token-file");
    Path token = Path.of(keys.get("rest.auth.token-file"));
    assertThat(Files.readString(token).trim()).as("the token").hasSizeGreaterThanOrEqualTo(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token)))
        .as("the token file's mode")
        .isEqualTo("rw-------");
    return new ClusterCertificates(dir, keys);
  }

  /** Every printed key: internal mutual TLS, REST over https and the REST token. */
  Configuration applyAll(Configuration config) {
    return apply(config, key -> true);
  }

  /** Only the {@code security.ssl.internal.*} keys. */
  Configuration applyInternal(Configuration config) {
    return apply(config, key -> key.startsWith("security.ssl.internal."));
  }

  private Configuration apply(Configuration config, Predicate<String> which) {
    keys.forEach(
        (key, value) -> {
          if (which.test(key)) {
            config.setString(key, value);
          }
        });
    return config;
  }
}

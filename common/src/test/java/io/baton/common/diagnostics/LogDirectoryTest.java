package io.baton.common.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogDirectoryTest {
  @TempDir Path root;
  private Path logs;
  private Path secret;
  private LogDirectory directory;

  @BeforeEach
  void writeLogsAndASecretNextToThem() throws Exception {
    logs = Files.createDirectories(root.resolve("log"));
    Files.writeString(logs.resolve("baton-taskmanager-0-host.log"), "first\nlast line\n");
    Files.writeString(logs.resolve("baton-taskmanager-0-host.out"), "printed\n");
    Files.createDirectories(logs.resolve("archive"));
    secret = Files.writeString(root.resolve("secret.txt"), "do not serve");
    Files.createSymbolicLink(logs.resolve("escape.log"), secret);
    directory = new LogDirectory(Optional.of(logs.resolve("baton-taskmanager-0-host.log")));
  }

  @Test
  void listsTheRegularFilesOfTheLogDirectoryButNoLinksOrDirectories() throws Exception {
    LogListing listing = directory.listing();
    assertThat(listing.hasLogFile()).isTrue();
    assertThat(listing.files())
        .extracting(LogFileInfo::name)
        .containsExactly("baton-taskmanager-0-host.log", "baton-taskmanager-0-host.out");
    assertThat(listing.files().get(0).size()).isEqualTo(16);
    assertThat(listing.files().get(0).mtime()).isPositive();
  }

  @Test
  void readsTheLogStdoutAndANamedFile() throws Exception {
    assertThat(text(directory.read(LogRead.log(100)))).isEqualTo("first\nlast line\n");
    assertThat(text(directory.read(LogRead.stdout(100)))).isEqualTo("printed\n");
    assertThat(text(directory.read(LogRead.named("baton-taskmanager-0-host.out", 100))))
        .isEqualTo("printed\n");
  }

  @Test
  void readsOnlyTheEndOfAFileAndNeverMoreThanOneMebibyte() throws Exception {
    assertThat(text(directory.read(LogRead.log(10)))).isEqualTo("last line\n");
    byte[] big = new byte[LogDirectory.MAX_READ_BYTES + 10];
    Files.write(logs.resolve("big.log"), big);
    LogReadResult all = directory.read(LogRead.named("big.log", Integer.MAX_VALUE));
    assertThat(all.tail().orElseThrow().bytes()).hasSize(LogDirectory.MAX_READ_BYTES);
  }

  @Test
  void hostileNamesReadNothing() throws Exception {
    for (String name :
        new String[] {
          "../secret.txt",
          "../../etc/passwd",
          secret.toString(),
          "/etc/passwd",
          "..",
          ".",
          "...",
          "escape.log",
          "archive",
          "missing.log",
          "",
          "a\u0000b"
        }) {
      LogReadResult result = directory.read(LogRead.named(name, 100));
      assertThat(result.hasLogFile()).as(name).isTrue();
      assertThat(result.tail()).as(name).isEmpty();
    }
  }

  @Test
  void aProcessWithoutALogFileHasNothingToListOrRead() throws Exception {
    LogDirectory none = new LogDirectory(Optional.empty());
    assertThat(none.listing().hasLogFile()).isFalse();
    assertThat(none.listing().files()).isEmpty();
    assertThat(none.read(LogRead.log(100)).hasLogFile()).isFalse();
    assertThat(none.read(LogRead.named("x.log", 100)).tail()).isEmpty();
  }

  private static String text(LogReadResult result) {
    return new String(result.tail().orElseThrow().bytes(), StandardCharsets.UTF_8);
  }
}

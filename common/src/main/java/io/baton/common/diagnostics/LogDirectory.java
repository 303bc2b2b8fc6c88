package io.baton.common.diagnostics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A process's log directory, the directory of its log file ({@code baton.log.file}, which {@code
 * bin/jobmanager.sh} and {@code bin/taskmanager.sh} set; Flink's {@code log.file} too), as the
 * JobManager's and the TaskManager's log pages read it: the files directly in it, each read from
 * its end and at most {@link #MAX_READ_BYTES}.
 *
 * <p>A name comes from a REST caller and is hostile until proven otherwise: only a plain file name
 * ({@code [A-Za-z0-9._-]}, not {@code .} or {@code ..}) of a regular file directly in the directory
 * is read; symbolic links are neither listed nor followed, so no link planted in the directory
 * reads a file outside it.
 */
public final class LogDirectory {
  /** The most of a file's end that is read: the dashboard shows text, not gigabytes. */
  public static final int MAX_READ_BYTES = 1 << 20;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,255}");
  private static final Pattern DOTS = Pattern.compile("\\.+");

  private final Optional<Path> logFile;

  /**
   * @param logFile the process's log file; empty when it logs to its console only
   */
  public LogDirectory(Optional<Path> logFile) {
    this.logFile = logFile.map(p -> p.toAbsolutePath().normalize());
  }

  /** This process's: {@code baton.log.file}, else Flink's {@code log.file}, else none. */
  public static LogDirectory ofThisProcess() {
    String file = System.getProperty("baton.log.file", System.getProperty("log.file"));
    return new LogDirectory(Optional.ofNullable(file).filter(f -> !f.isBlank()).map(Path::of));
  }

  /** The log file; empty when the process writes none. */
  public Optional<Path> logFile() {
    return logFile;
  }

  /** Whether {@code name} is a plain file name that could be in the directory. */
  public static boolean isPlainName(String name) {
    return name != null && NAME.matcher(name).matches() && !DOTS.matcher(name).matches();
  }

  /** The listing the TaskManager answers with: its files, or that it writes no log file. */
  public LogListing listing() throws IOException {
    return new LogListing(logFile.isPresent(), list());
  }

  /** Reads what {@code request} names; nothing for a name that is not a plain file name. */
  public LogReadResult read(LogRead request) throws IOException {
    if (logFile.isEmpty()) {
      return new LogReadResult(false, Optional.empty());
    }
    Optional<LogTail> tail =
        switch (request.which()) {
          case LOG -> readLog(request.maxBytes());
          case STDOUT -> readStdout(request.maxBytes());
          case NAMED -> readNamed(request.name(), request.maxBytes());
        };
    return new LogReadResult(true, tail);
  }

  /** The regular files directly in the directory, by name; empty without a log file. */
  public List<LogFileInfo> list() throws IOException {
    Optional<Path> dir = logFile.map(Path::getParent);
    List<LogFileInfo> files = new ArrayList<>();
    if (dir.isEmpty() || !Files.isDirectory(dir.get())) {
      return files;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir.get())) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        BasicFileAttributes attributes;
        try {
          attributes =
              Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException rolledAway) {
          continue;
        }
        if (attributes.isRegularFile() && isPlainName(name)) {
          files.add(
              new LogFileInfo(name, attributes.size(), attributes.lastModifiedTime().toMillis()));
        }
      }
    }
    files.sort(Comparator.comparing(LogFileInfo::name));
    return files;
  }

  /** The end of the log file; empty without one or when it is not there (yet). */
  public Optional<LogTail> readLog(int maxBytes) throws IOException {
    if (logFile.isEmpty()) {
      return Optional.empty();
    }
    // the operator named this file: a link there is theirs to set
    return read(logFile.get(), maxBytes);
  }

  /** The end of the {@code .out} file next to the log file, where the process's stdout goes. */
  public Optional<LogTail> readStdout(int maxBytes) throws IOException {
    Optional<String> out = stdoutName();
    return out.isEmpty() ? Optional.empty() : readNamed(out.get(), maxBytes);
  }

  /** The {@code .out} file's name: the log file's with {@code .out} for {@code .log}. */
  public Optional<String> stdoutName() {
    return logFile.map(
        log -> {
          String name = log.getFileName().toString();
          return (name.endsWith(".log") ? name.substring(0, name.length() - 4) : name) + ".out";
        });
  }

  /**
   * The end of the file {@code name} directly in the directory; empty for a name that is not a
   * plain file name, a file that is not there, a directory or a symbolic link.
   */
  public Optional<LogTail> readNamed(String name, int maxBytes) throws IOException {
    if (logFile.isEmpty() || !isPlainName(name)) {
      return Optional.empty();
    }
    Path file = logFile.get().resolveSibling(name);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    return read(file, maxBytes, LinkOption.NOFOLLOW_LINKS);
  }

  private static Optional<LogTail> read(Path file, int maxBytes, OpenOption... links)
      throws IOException {
    int limit = Math.max(0, Math.min(maxBytes, MAX_READ_BYTES));
    // NOFOLLOW_LINKS: a named file swapped for a link after its check is not opened either
    Set<OpenOption> options = new HashSet<>(List.of(links));
    options.add(StandardOpenOption.READ);
    try (SeekableByteChannel channel = Files.newByteChannel(file, options)) {
      long size = channel.size();
      int length = (int) Math.min(size, limit);
      channel.position(size - length);
      ByteBuffer buffer = ByteBuffer.allocate(length);
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // reads until the buffer is full or the file ends
      }
      byte[] bytes = new byte[buffer.position()];
      buffer.flip().get(bytes);
      return Optional.of(new LogTail(file.getFileName().toString(), bytes));
    } catch (NoSuchFileException gone) {
      return Optional.empty();
    } catch (java.nio.file.FileSystemException link) {
      // ELOOP: the name is a symbolic link now
      if (Files.isSymbolicLink(file)) {
        return Optional.empty();
      }
      throw link;
    }
  }
}

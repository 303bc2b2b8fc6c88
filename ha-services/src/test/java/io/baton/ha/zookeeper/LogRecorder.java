package io.baton.ha.zookeeper;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** Records what one class logs, for tests that assert a warning a user would read. */
final class LogRecorder extends AbstractAppender implements AutoCloseable {
  private final Logger logger;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private LogRecorder(Class<?> source) {
    super("recorder-" + source.getSimpleName(), null, null, true, Property.EMPTY_ARRAY);
    this.logger = (Logger) LogManager.getLogger(source);
  }

  /** Starts recording what {@code source} logs. */
  static LogRecorder of(Class<?> source) {
    LogRecorder recorder = new LogRecorder(source);
    recorder.start();
    recorder.logger.addAppender(recorder);
    return recorder;
  }

  @Override
  public void append(LogEvent event) {
    lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
  }

  /** The recorded messages at {@code level}, each with its level in front. */
  List<String> at(Level level) {
    return lines.stream().filter(line -> line.startsWith(level + " ")).toList();
  }

  @Override
  public void close() {
    logger.removeAppender(this);
    stop();
  }
}

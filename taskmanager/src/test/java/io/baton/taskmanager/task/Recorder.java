package io.baton.taskmanager.task;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where deserialized test sources, functions and sinks (copies of what a test built) leave what
 * they saw, under an id unique to the test.
 */
public final class Recorder {
  private static final Map<String, List<Object>> LISTS = new ConcurrentHashMap<>();

  private Recorder() {}

  public static String newId() {
    return UUID.randomUUID().toString();
  }

  public static List<Object> list(String id) {
    return LISTS.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>());
  }

  static void add(String id, Object value) {
    list(id).add(value);
  }
}

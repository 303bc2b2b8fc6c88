package io.baton.common.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.classloading.UserCodeClassLoader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.management.BadAttributeValueExpException;
import org.example.gadget.GadgetMap;
import org.example.gadget.JobFunction;
import org.junit.jupiter.api.Test;

class FilteredObjectInputStreamTest {
  private static final String SOURCE = "the stored job graph of job 0123 (file:///ha/jobgraphs/x)";

  /** What a job graph holds: Baton's records with JDK values and collections inside. */
  record Graph(String name, List<Object> values, Map<String, String> config, Duration timeout)
      implements Serializable {}

  @Test
  void admitsBatonsTypesAndTheJdkTypesAGraphHolds() throws Exception {
    Map<String, String> config = new LinkedHashMap<>(Map.of("parallelism.default", "2"));
    List<Object> values =
        new ArrayList<>(
            List.of(1, 2L, "x", 3.0, new int[] {1, 2}, List.of("a"), new TreeMap<>(Map.of(1, 2))));
    Graph graph = new Graph("WordCount", values, config, Duration.ofSeconds(5));

    Object read = read(serialize(graph), getClass().getClassLoader());

    assertThat(read).isInstanceOf(Graph.class);
    assertThat(((Graph) read).name()).isEqualTo("WordCount");
    assertThat(((Graph) read).config()).isEqualTo(config);
  }

  @Test
  void refusesAHashMapSubclassGadgetWithOneLineNamingSourceAndClass() throws Exception {
    GadgetMap gadget = new GadgetMap();
    gadget.put("k", "v");
    byte[] bytes = serialize(new Graph("g", new ArrayList<>(List.of(gadget)), Map.of(), null));
    GadgetMap.instantiated = false;

    assertThatThrownBy(() -> read(bytes, getClass().getClassLoader()))
        .isInstanceOf(RefusedClassException.class)
        .hasMessage(
            SOURCE
                + ": refused to deserialize class org.example.gadget.GadgetMap: not admitted by"
                + " Baton's filter")
        .hasCauseInstanceOf(java.io.InvalidClassException.class);
    assertThat(GadgetMap.instantiated).isFalse();
  }

  @Test
  void refusesJdkClassesOutsideTheList() throws Exception {
    byte[] bytes = serialize(new BadAttributeValueExpException("x"));

    assertThatThrownBy(() -> read(bytes, getClass().getClassLoader()))
        .isInstanceOf(RefusedClassException.class)
        .hasMessageContaining("class javax.management.BadAttributeValueExpException");
  }

  @Test
  void admitsTheClassesOfTheJobsJarOnlyThroughItsOwnLoader() throws Exception {
    URL testClasses = JobFunction.class.getProtectionDomain().getCodeSource().getLocation();
    try (UserCodeClassLoader jobJar =
        new UserCodeClassLoader(new URL[] {testClasses}, getClass().getClassLoader())) {
      Class<?> function = jobJar.loadClass(JobFunction.class.getName());
      assertThat(function.getClassLoader()).isSameAs(jobJar);
      byte[] bytes = serialize(function.getConstructor().newInstance());

      assertThat(read(bytes, jobJar).getClass()).isSameAs(function);
      assertThatThrownBy(() -> read(bytes, getClass().getClassLoader()))
          .isInstanceOf(RefusedClassException.class)
          .hasMessageContaining("class " + JobFunction.class.getName());
      // a gadget in the job's jar is the job's own code; one on the class path is not
      Class<?> gadgetOfJar = jobJar.loadClass(GadgetMap.class.getName());
      assertThat(read(serialize(gadgetOfJar.getConstructor().newInstance()), jobJar))
          .isInstanceOf(gadgetOfJar);
    }
  }

  @Test
  void refusesStreamsNestedBeyondTheDepthLimit() throws Exception {
    Object[] nested = new Object[1];
    Object[] inner = nested;
    for (int i = 0; i < AdmittedClasses.MAX_DEPTH + 10; i++) {
      Object[] next = new Object[1];
      inner[0] = next;
      inner = next;
    }
    byte[] bytes = serialize(nested);

    assertThatThrownBy(() -> read(bytes, getClass().getClassLoader()))
        .isInstanceOf(RefusedClassException.class)
        .hasMessageContaining("objects nested deeper than " + AdmittedClasses.MAX_DEPTH);
  }

  private static byte[] serialize(Object o) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  private static Object read(byte[] bytes, ClassLoader loader) throws Exception {
    try (FilteredObjectInputStream in =
        new FilteredObjectInputStream(new ByteArrayInputStream(bytes), loader, SOURCE)) {
      return in.readFiltered();
    }
  }
}

package io.baton.common.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code baton-conf.yaml}: flat keys ({@code rest.port: 8081}) or nested maps ({@code rest:
 * {port: 8081}}), plus overrides from the command line ({@code -Dkey=value}). Every key and value
 * is checked against {@link KnownOptions} (known key, parsable value within the key's range, and
 * the relations between keys), so a mistake stops start-up with one line.
 */
public final class ConfigurationLoader {
  public static final String FILE_NAME = "baton-conf.yaml";

  private final KnownOptions knownOptions;

  public ConfigurationLoader(KnownOptions knownOptions) {
    this.knownOptions = knownOptions;
  }

  /**
   * Loads {@code <confDir>/baton-conf.yaml} (if the directory has one) with {@code overrides} on
   * top.
   *
   * @throws IllegalConfigurationException naming the file and the key that is wrong
   */
  public Configuration load(Path confDir, Map<String, String> overrides) {
    Map<String, String> values = new LinkedHashMap<>();
    Path file = confDir == null ? null : confDir.resolve(FILE_NAME);
    if (file != null && Files.isRegularFile(file)) {
      values.putAll(readYaml(file));
      Configuration fromFile = Configuration.fromMap(values);
      knownOptions.validate(fromFile, file.toString());
    } else if (confDir != null && !Files.isDirectory(confDir)) {
      throw new IllegalConfigurationException(
          "configuration directory " + confDir + " does not exist");
    }
    Configuration overridden = Configuration.fromMap(overrides);
    knownOptions.validate(overridden, "the command line");
    values.putAll(overrides);
    Configuration config = Configuration.fromMap(values);
    knownOptions.validateRelations(config);
    return config;
  }

  /**
   * Parses {@code -Dkey=value} / {@code key=value} arguments.
   *
   * @throws IllegalConfigurationException for an argument without '='
   */
  public static Map<String, String> parseDynamicProperties(List<String> args) {
    Map<String, String> result = new LinkedHashMap<>();
    for (String arg : args) {
      String kv = arg.startsWith("-D") ? arg.substring(2) : arg;
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalConfigurationException("expected -Dkey=value, got '" + arg + "'");
      }
      result.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
    }
    return result;
  }

  private static Map<String, String> readYaml(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalConfigurationException(
          "cannot parse " + file + ": " + ErrorLines.firstLine(e.getMessage()), e);
    }
    Map<String, String> flat = new LinkedHashMap<>();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return flat;
    }
    if (!root.isObject()) {
      throw new IllegalConfigurationException(file + " must hold 'key: value' lines");
    }
    flatten("", root, flat, file);
    return flat;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out, Path file) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String key = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
      JsonNode value = f.getValue();
      if (value.isObject()) {
        flatten(key, value, out, file);
      } else if (value.isArray()) {
        throw new IllegalConfigurationException(
            "configuration key '" + key + "' in " + file + " must be a single value, not a list");
      } else if (!value.isNull()) {
        out.put(key, value.asText());
      }
    }
  }
}

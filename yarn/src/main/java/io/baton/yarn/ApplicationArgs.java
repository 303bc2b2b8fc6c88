package io.baton.yarn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The application job's {@code main()} arguments as the client passes them: a JSON array of strings
 * in base64 (YARN writes environment values into its launch script without escaping quotes).
 */
final class ApplicationArgs {
  private ApplicationArgs() {}

  /**
   * @throws IllegalArgumentException naming {@link YarnSessionEntrypoint#APPLICATION_ARGS_ENV} when
   *     it is no JSON array of strings
   */
  static List<String> parse(String base64) {
    JsonNode node;
    try {
      node =
          new ObjectMapper()
              .readTree(new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      node = null;
    }
    if (node == null || !node.isArray()) {
      throw new IllegalArgumentException(
          YarnSessionEntrypoint.APPLICATION_ARGS_ENV + " is no base64 JSON array of strings");
    }
    List<String> args = new ArrayList<>();
    for (JsonNode arg : node) {
      if (!arg.isTextual()) {
        throw new IllegalArgumentException(
            YarnSessionEntrypoint.APPLICATION_ARGS_ENV + " holds a non-string: " + arg);
      }
      args.add(arg.asText());
    }
    return args;
  }
}

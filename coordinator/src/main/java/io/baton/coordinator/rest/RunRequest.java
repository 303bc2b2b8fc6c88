package io.baton.coordinator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The parameters of {@code POST /jars/{id}/run}, from the JSON body or, as Flink also accepts, the
 * query string. The body wins; {@code programArgsList} wins over {@code programArgs}.
 */
record RunRequest(
    Optional<String> entryClass,
    List<String> args,
    OptionalInt parallelism,
    Optional<String> savepointPath) {

  static RunRequest parse(Context ctx, ObjectMapper json) {
    JsonNode body = RequestBodies.jsonObject(ctx, json);
    Optional<String> entryClass =
        text(body, "entryClass").or(() -> query(ctx, "entryClass", "entry-class"));
    List<String> args;
    if (body.hasNonNull("programArgsList")) {
      args = stringList(body.get("programArgsList"));
    } else if (body.hasNonNull("programArgs")) {
      args = ProgramArguments.split(text(body, "programArgs").orElse(""));
    } else if (!ctx.queryParams("programArgsList").isEmpty()) {
      args = ctx.queryParams("programArgsList");
    } else if (!ctx.queryParams("programArg").isEmpty()) {
      args = ctx.queryParams("programArg");
    } else {
      args = ProgramArguments.split(query(ctx, "programArgs", "program-args").orElse(null));
    }
    OptionalInt parallelism = parallelism(body.get("parallelism"), query(ctx, "parallelism"));
    Optional<String> savepointPath =
        text(body, "savepointPath").or(() -> query(ctx, "savepointPath"));
    return new RunRequest(entryClass, args, parallelism, savepointPath.filter(p -> !p.isBlank()));
  }

  private static Optional<String> text(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw RestException.badRequest(field + " must be a string, got " + node);
    }
    return Optional.of(node.asText());
  }

  private static Optional<String> query(Context ctx, String... names) {
    for (String name : names) {
      String value = ctx.queryParam(name);
      if (value != null && !value.isBlank()) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }

  private static List<String> stringList(JsonNode node) {
    if (!node.isArray()) {
      throw RestException.badRequest("programArgsList must be an array of strings, got " + node);
    }
    List<String> args = new ArrayList<>();
    for (JsonNode arg : node) {
      if (!arg.isTextual()) {
        throw RestException.badRequest(
            "programArgsList must be an array of strings, but holds " + arg);
      }
      args.add(arg.asText());
    }
    return args;
  }

  private static OptionalInt parallelism(JsonNode fromBody, Optional<String> fromQuery) {
    if (fromBody != null && !fromBody.isNull()) {
      if (fromBody.canConvertToInt() && fromBody.isIntegralNumber()) {
        return OptionalInt.of(fromBody.intValue());
      }
      if (!fromBody.isTextual()) {
        throw RestException.badRequest("parallelism must be an integer, got " + fromBody);
      }
      return parseParallelism(fromBody.asText());
    }
    return fromQuery.map(RunRequest::parseParallelism).orElse(OptionalInt.empty());
  }

  private static OptionalInt parseParallelism(String text) {
    try {
      return OptionalInt.of(Integer.parseInt(text.trim()));
    } catch (NumberFormatException e) {
      throw RestException.badRequest("parallelism must be an integer, got '" + text + "'");
    }
  }
}

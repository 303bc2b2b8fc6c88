package io.baton.coordinator.rest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.common.config.ErrorLines;
import io.javalin.http.Context;

/** Reads JSON request bodies; a body that is not JSON is a 400 naming the problem. */
final class RequestBodies {
  private RequestBodies() {}

  /** The body as a JSON object; an empty body is an empty object. */
  static JsonNode jsonObject(Context ctx, ObjectMapper json) {
    String body = ctx.body();
    if (body.isBlank()) {
      return json.createObjectNode();
    }
    JsonNode node;
    try {
      node = json.readTree(body);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      String problem = ErrorLines.firstLine(e.getOriginalMessage());
      if (problem.isEmpty()) {
        problem = "cannot parse";
      }
      throw RestException.badRequest("malformed JSON body" + where + ": " + problem);
    }
    if (!node.isObject()) {
      throw RestException.badRequest(
          "the body of " + ctx.method() + " " + ctx.path() + " must be a JSON object");
    }
    return node;
  }
}

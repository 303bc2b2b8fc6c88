package io.baton.cli;

import java.io.FileNotFoundException;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A {@code multipart/form-data} body with one file field, as browsers and Flink's CLI upload jars.
 * The file is streamed from disk, not read into memory.
 */
final class MultipartBody {
  private final String boundary = "baton-" + UUID.randomUUID();
  private final BodyPublisher publisher;

  MultipartBody(String field, Path file) throws FileNotFoundException {
    String fileName = file.getFileName().toString().replace('"', '_');
    byte[] head =
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\""
                + field
                + "\"; filename=\""
                + fileName
                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    this.publisher =
        BodyPublishers.concat(
            BodyPublishers.ofByteArray(head),
            BodyPublishers.ofFile(file),
            BodyPublishers.ofByteArray(tail));
  }

  String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  BodyPublisher publisher() {
    return publisher;
  }
}

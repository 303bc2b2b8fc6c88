package io.baton.taskmanager.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.baton.common.config.PortRange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code GET /metrics} with the Prometheus text a supplier renders, on the first free port
 * of a range; every other path is 404, every other method 405. One thread serves the scrapes, one
 * at a time.
 */
final class MetricsHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsHttpServer.class);
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService thread;

  private MetricsHttpServer(HttpServer server, ExecutorService thread) {
    this.server = server;
    this.thread = thread;
  }

  /**
   * Binds to {@code host} on the first port of {@code ports} that is free.
   *
   * @param key the configuration key {@code ports} came from, for the error line
   * @throws MetricsPortUnavailableException naming the key when no port of the range is free
   */
  static MetricsHttpServer start(
      String host, PortRange ports, String key, String threadName, Supplier<String> scrape) {
    HttpServer server = bind(host, ports, key);
    ExecutorService thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(thread);
    server.createContext("/", exchange -> answer(exchange, scrape));
    server.start();
    return new MetricsHttpServer(server, thread);
  }

  private static HttpServer bind(String host, PortRange ports, String key) {
    IOException last = null;
    for (int port = ports.first(); port <= ports.last(); port++) {
      try {
        return HttpServer.create(new InetSocketAddress(host, port), 0);
      } catch (BindException taken) {
        last = taken;
      } catch (IOException e) {
        throw new MetricsPortUnavailableException(
            "cannot serve metrics on " + host + ":" + port + " (" + key + "): " + e.getMessage(),
            e);
      }
    }
    throw new MetricsPortUnavailableException(
        key
            + " "
            + ports
            + (ports.first() == ports.last() ? " is already in use" : ": every port is in use")
            + " on "
            + host,
        last);
  }

  private static void answer(HttpExchange exchange, Supplier<String> scrape) throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals("/metrics")) {
        send(exchange, 404, "no such endpoint: " + exchange.getRequestURI().getPath() + "\n");
      } else if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        send(exchange, 405, "only GET /metrics\n");
      } else {
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        send(exchange, 200, scrape.get());
      }
    } catch (RuntimeException e) {
      LOG.warn("Could not answer a metrics scrape", e);
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    thread.shutdownNow();
  }
}

package io.github.rosettadl.datasets.download;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server on 127.0.0.1 with a port of its own, for download tests. Each path answers with
 * a scripted sequence of behaviours (the last one repeats), and every request is logged.
 */
public final class LoopbackServer implements AutoCloseable {

    /** What one request to a path gets. */
    @FunctionalInterface
    public interface Behaviour {
        /**
         * Answers one request.
         *
         * @param exchange the request
         * @throws IOException when the connection breaks, on purpose or not
         */
        void answer(HttpExchange exchange) throws IOException;
    }

    /** One request as the server saw it. */
    public record Request(String path, String range) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "loopback-http");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, List<Behaviour>> scripts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    /** Starts the server. */
    public LoopbackServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Sets what successive requests to {@code path} get; the last behaviour repeats. */
    public LoopbackServer on(String path, Behaviour... behaviours) {
        scripts.put(path, List.of(behaviours));
        calls.put(path, new AtomicInteger());
        return this;
    }

    /** The URL of a path on this server. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Every request so far, in order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Requests to one path so far. */
    public List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(new Request(path, exchange.getRequestHeaders().getFirst("Range")));
        List<Behaviour> script = scripts.get(path);
        if (script == null) {
            status(404).answer(exchange);
        } else {
            int call = calls.get(path).getAndIncrement();
            // a behaviour that throws leaves the exchange open: the server then drops the connection
            script.get(Math.min(call, script.size() - 1)).answer(exchange);
        }
        exchange.close();
    }

    /** The whole body with 200, or the asked-for tail with 206 when the request has a Range. */
    public static Behaviour serve(byte[] body) {
        return exchange -> {
            String range = exchange.getRequestHeaders().getFirst("Range");
            int from = 0;
            if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
                from = Integer.parseInt(range.substring(6, range.length() - 1));
                if (from >= body.length) {
                    // as RFC 9110 asks: the size the server has
                    exchange.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
                    exchange.sendResponseHeaders(416, -1);
                    return;
                }
                exchange.getResponseHeaders().set("Content-Range",
                        "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                exchange.sendResponseHeaders(206, body.length - from);
            } else {
                exchange.sendResponseHeaders(200, body.length);
            }
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body, from, body.length - from);
            }
        };
    }

    /** The whole body with 200, whatever Range the request has. */
    public static Behaviour serveIgnoringRange(byte[] body) {
        return exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        };
    }

    /**
     * The whole body as a 206 from byte 0, whatever the request's Range: a server whose range
     * answer does not continue the client's part file.
     */
    public static Behaviour serveFromZeroAs206(byte[] body) {
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Range", "bytes 0-" + (body.length - 1) + "/" + body.length);
            exchange.sendResponseHeaders(206, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        };
    }

    /** A status with an empty body. */
    public static Behaviour status(int code) {
        return exchange -> exchange.sendResponseHeaders(code, -1);
    }

    /**
     * Announces the whole body but sends only its first {@code sent} bytes, then drops the
     * connection: a cut mid-file.
     */
    public static Behaviour cutAfter(byte[] body, int sent) {
        return exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            OutputStream out = exchange.getResponseBody();
            out.write(body, 0, sent);
            out.flush();
            // an exception out of a handler makes the JDK server close the socket: the cut
            throw new IOException("connection cut on purpose after " + sent + " bytes");
        };
    }

    /** Sends the headers and the first {@code sent} bytes, then goes silent for {@code millis}. */
    public static Behaviour stallAfter(byte[] body, int sent, long millis) {
        return exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            OutputStream out = exchange.getResponseBody();
            out.write(body, 0, sent);
            out.flush();
            sleep(millis);
            try {
                out.write(body, sent, body.length - sent);
                out.close();
            } catch (IOException gone) {
                // the client gave up, as it should
            }
        };
    }

    /** Waits {@code millis} before sending anything. */
    public static Behaviour silentFor(long millis, Behaviour then) {
        return exchange -> {
            sleep(millis);
            try {
                then.answer(exchange);
            } catch (IOException gone) {
                // the client gave up, as it should
            }
        };
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

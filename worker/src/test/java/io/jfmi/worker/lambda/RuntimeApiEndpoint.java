package io.jfmi.worker.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A local endpoint speaking the part of the Lambda Runtime API a function's runtime client uses: next invocation
 * (long poll), invocation response, invocation error and init error. Tests queue events and read what came back.
 */
final class RuntimeApiEndpoint implements AutoCloseable {
    private static final String BASE = "/2018-06-01/runtime/";

    /** What the function returned for one request: a response body, or an error body. */
    record Result(boolean error, String body) {
    }

    private final HttpServer server;
    private final BlockingQueue<String[]> events = new LinkedBlockingQueue<>();
    private final Map<String, BlockingQueue<Result>> results = new ConcurrentHashMap<>();
    final BlockingQueue<String> initErrors = new LinkedBlockingQueue<>();
    private final long functionTimeoutMillis;

    RuntimeApiEndpoint(long functionTimeoutMillis) throws IOException {
        this.functionTimeoutMillis = functionTimeoutMillis;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext(BASE, this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "runtime-api");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** host:port, the value of AWS_LAMBDA_RUNTIME_API. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues an event; returns its request id. */
    String invoke(String eventJson) {
        String id = UUID.randomUUID().toString();
        results.put(id, new LinkedBlockingQueue<>());
        events.add(new String[] {id, eventJson});
        return id;
    }

    /** Waits for the function's answer to a request. */
    Result await(String requestId, long seconds) throws InterruptedException {
        Result r = results.get(requestId).poll(seconds, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no answer to request " + requestId + " within " + seconds + " s");
        }
        return r;
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath().substring(BASE.length());
        try {
            if (path.equals("invocation/next") && x.getRequestMethod().equals("GET")) {
                String[] ev = events.poll(300, TimeUnit.SECONDS);
                if (ev == null) {
                    reply(x, 503, "{}");
                    return;
                }
                x.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", ev[0]);
                x.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms",
                        Long.toString(System.currentTimeMillis() + functionTimeoutMillis));
                x.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn",
                        "arn:aws:lambda:us-east-1:000000000000:function:jfmi-test");
                x.getResponseHeaders().add("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000");
                reply(x, 200, ev[1]);
            } else if (path.startsWith("invocation/") && (path.endsWith("/response") || path.endsWith("/error"))) {
                String id = path.substring("invocation/".length(), path.lastIndexOf('/'));
                String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                BlockingQueue<Result> q = results.get(id);
                if (q == null) {
                    reply(x, 400, "{\"errorMessage\": \"unknown request id\"}");
                    return;
                }
                q.add(new Result(path.endsWith("/error"), body));
                reply(x, 202, "{\"status\": \"OK\"}");
            } else if (path.equals("init/error")) {
                initErrors.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                reply(x, 202, "{\"status\": \"OK\"}");
            } else {
                reply(x, 404, "{}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply(x, 500, "{}");
        }
    }

    private static void reply(HttpExchange x, int code, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        // The runtime client's native HTTP layer reads the content type unconditionally (Lambda always sends one)
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(code, b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

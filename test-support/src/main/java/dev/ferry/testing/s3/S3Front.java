package dev.ferry.testing.s3;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An HTTP/1.1 front on a free loopback port before any {@link S3Store}, as a load balancer or gateway stands
 * before a real store: it forwards each request byte for byte (the Host header too, which SigV4 signs) and
 * each answer likewise, except where a test told it to answer an {@link S3Operation} itself ({@link #answer})
 * or to drop a header from the store's answer ({@link #stripResponseHeader}). It counts the operations it saw.
 * Each client connection gets its own connection to the store, kept alive as long as both sides keep theirs.
 *
 * <p>It is itself an S3Store with the backing store's credentials, so {@link #client()} reaches the store
 * through the front.
 */
public final class S3Front implements S3Store {

    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final int STORE_READ_TIMEOUT_MILLIS = 120_000;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    /** What the front answers instead of the store; {@code body} is empty when the error code was null. */
    private record Answer(int status, String body) {}

    private final S3Store store;
    private final ServerSocket listener;
    private final ExecutorService connections;
    private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
    private final Map<S3Operation, Answer> answers = new ConcurrentHashMap<>();
    private final Map<S3Operation, Set<String>> strippedHeaders = new ConcurrentHashMap<>();
    private final Map<S3Operation, AtomicInteger> seen;
    private S3Client client;

    private S3Front(S3Store store, ServerSocket listener) {
        this.store = store;
        this.listener = listener;
        Map<S3Operation, AtomicInteger> counters = new EnumMap<>(S3Operation.class);
        for (S3Operation operation : S3Operation.values()) {
            counters.put(operation, new AtomicInteger());
        }
        this.seen = counters;
        AtomicInteger threads = new AtomicInteger();
        this.connections = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "s3-front-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        connections.execute(this::acceptUntilClosed);
    }

    /** A front before {@code store}, forwarding everything until told otherwise. */
    public static S3Front before(S3Store store) {
        try {
            return new S3Front(store, new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback", e);
        }
    }

    /**
     * From now on, the front answers every request of {@code operation} itself, after reading its body, with
     * {@code status} and an S3 error document {@code <Error><Code>errorCode</Code><Message>message</Message>
     * </Error>}, or an empty body when {@code errorCode} is null. The store never sees those requests.
     */
    public void answer(S3Operation operation, int status, String errorCode, String message) {
        String body = errorCode == null
                ? ""
                : "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + xml(errorCode) + "</Code><Message>"
                        + xml(message == null ? "" : message) + "</Message><RequestId>s3-front</RequestId></Error>";
        answers.put(operation, new Answer(status, body));
    }

    /** From now on, the store's answers to {@code operation} reach the client without {@code header}. */
    public void stripResponseHeader(S3Operation operation, String header) {
        strippedHeaders.merge(operation, Set.of(header.toLowerCase(Locale.ROOT)), (old, added) -> union(old, added));
    }

    /** Forwards everything again and forgets the operations seen so far. */
    public void reset() {
        answers.clear();
        strippedHeaders.clear();
        seen.values().forEach(counter -> counter.set(0));
    }

    /** How many requests of {@code operation} reached the front (answered by it or forwarded) since the last reset. */
    public int seen(S3Operation operation) {
        return seen.get(operation).get();
    }

    @Override
    public String name() {
        return store.name() + " behind S3Front";
    }

    @Override
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    @Override
    public String accessKey() {
        return store.accessKey();
    }

    @Override
    public String secretKey() {
        return store.secretKey();
    }

    @Override
    public String region() {
        return store.region();
    }

    @Override
    public void createBucket(String name) {
        client().createBucket(b -> b.bucket(name));
    }

    /** A client that reaches the store through this front. */
    @Override
    public synchronized S3Client client() {
        if (client == null) {
            client = clientBuilder().build();
        }
        return client;
    }

    /** Stops the front and drops its connections; the store behind it keeps running. */
    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
        try {
            listener.close();
        } catch (IOException ignored) {
            // Closing a listener only fails when it is already closed.
        }
        for (Socket socket : openSockets) {
            closeQuietly(socket);
        }
        connections.shutdownNow();
    }

    private void acceptUntilClosed() {
        while (!listener.isClosed()) {
            try {
                Socket downstream = listener.accept();
                openSockets.add(downstream);
                connections.execute(() -> serve(downstream));
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** One client connection: request after request until either side closes. */
    private void serve(Socket downstream) {
        Socket upstream = null;
        try {
            InputStream fromClient = new BufferedInputStream(downstream.getInputStream());
            OutputStream toClient = new BufferedOutputStream(downstream.getOutputStream());
            InputStream fromStore = null;
            OutputStream toStore = null;
            boolean keepAlive = true;
            while (keepAlive) {
                Head request = Head.read(fromClient);
                if (request == null) {
                    return;
                }
                S3Operation operation = S3Operation.of(request.method(), request.target(), request::has);
                seen.get(operation).incrementAndGet();
                Answer answer = answers.get(operation);
                if (answer != null) {
                    if (request.expectsContinue()) {
                        toClient.write(CONTINUE);
                        toClient.flush();
                    }
                    copyRequestBody(request, fromClient, OutputStream.nullOutputStream());
                    writeAnswer(toClient, request, answer);
                    keepAlive = !request.closes();
                } else {
                    if (upstream == null) {
                        upstream = connectToStore();
                        fromStore = new BufferedInputStream(upstream.getInputStream());
                        toStore = new BufferedOutputStream(upstream.getOutputStream());
                    }
                    keepAlive = forward(
                            request,
                            fromClient,
                            toClient,
                            fromStore,
                            toStore,
                            strippedHeaders.getOrDefault(operation, Set.of()));
                }
                toClient.flush();
            }
        } catch (IOException peerGone) {
            // Either side closed or reset the connection: that ends this connection, not the front.
        } finally {
            closeQuietly(downstream);
            if (upstream != null) {
                closeQuietly(upstream);
            }
        }
    }

    /**
     * Forwards one request and the store's answer. Honours {@code Expect: 100-continue}: the body follows only
     * once the store said 100. Returns whether the connection can carry another request.
     */
    private static boolean forward(
            Head request,
            InputStream fromClient,
            OutputStream toClient,
            InputStream fromStore,
            OutputStream toStore,
            Set<String> stripped)
            throws IOException {
        toStore.write(request.bytes());
        boolean bodySent = !request.expectsContinue();
        if (bodySent) {
            copyRequestBody(request, fromClient, toStore);
        }
        toStore.flush();
        Head response;
        while (true) {
            response = Head.read(fromStore);
            if (response == null) {
                throw new EOFException("the store closed the connection before answering");
            }
            if (response.status() >= 200) {
                break;
            }
            toClient.write(response.bytes());
            toClient.flush();
            if (response.status() == 100 && !bodySent) {
                copyRequestBody(request, fromClient, toStore);
                toStore.flush();
                bodySent = true;
            }
        }
        toClient.write(response.without(stripped));
        boolean framed = copyResponseBody(request, response, fromStore, toClient);
        // A final answer before 100 Continue leaves it open whether the client still sends the body: start afresh.
        return framed && bodySent && !request.closes() && !response.closes();
    }

    private static void copyRequestBody(Head request, InputStream from, OutputStream to) throws IOException {
        if (request.chunked()) {
            copyChunked(from, to);
        } else {
            copyExactly(from, to, request.contentLength());
        }
    }

    /** Copies the answer's body; false when it had no framing and so ended with the connection. */
    private static boolean copyResponseBody(Head request, Head response, InputStream from, OutputStream to)
            throws IOException {
        int status = response.status();
        if (request.method().equals("HEAD") || status == 204 || status == 304) {
            return true;
        }
        if (response.chunked()) {
            copyChunked(from, to);
            return true;
        }
        if (response.has("content-length")) {
            copyExactly(from, to, response.contentLength());
            return true;
        }
        from.transferTo(to);
        return false;
    }

    private static void copyExactly(InputStream from, OutputStream to, long length) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = length;
        while (left > 0) {
            int read = from.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                throw new EOFException("body ended " + left + " bytes early");
            }
            to.write(buffer, 0, read);
            left -= read;
        }
    }

    /** Copies a chunked body verbatim: size lines, data, the last chunk and any trailers. */
    private static void copyChunked(InputStream from, OutputStream to) throws IOException {
        while (true) {
            String sizeLine = Head.line(from);
            to.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            int extension = sizeLine.indexOf(';');
            long size = Long.parseLong((extension < 0 ? sizeLine : sizeLine.substring(0, extension)).strip(), 16);
            if (size == 0) {
                for (String trailer = Head.line(from); ; trailer = Head.line(from)) {
                    to.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    if (trailer.isEmpty()) {
                        return;
                    }
                }
            }
            copyExactly(from, to, size);
            Head.line(from);
            to.write(new byte[] {'\r', '\n'});
        }
    }

    private static void writeAnswer(OutputStream to, Head request, Answer answer) throws IOException {
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder()
                .append("HTTP/1.1 ")
                .append(answer.status())
                .append(' ')
                .append(reason(answer.status()))
                .append("\r\n");
        if (body.length > 0) {
            head.append("Content-Type: application/xml\r\n");
        }
        head.append("Content-Length: ")
                .append(body.length)
                .append("\r\n")
                .append("x-amz-request-id: s3-front\r\n")
                .append(request.closes() ? "Connection: close\r\n" : "")
                .append("\r\n");
        to.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!request.method().equals("HEAD")) {
            to.write(body);
        }
    }

    private Socket connectToStore() throws IOException {
        URI target = store.endpoint();
        Socket socket = new Socket(target.getHost(), target.getPort());
        socket.setSoTimeout(STORE_READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        openSockets.add(socket);
        return socket;
    }

    private void closeQuietly(Socket socket) {
        openSockets.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing left to do with a socket that will not close.
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> both = new HashSet<>(a);
        both.addAll(b);
        return Set.copyOf(both);
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 412 -> "Precondition Failed";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            default -> "Status " + status;
        };
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /**
     * A request or status line with its header lines, kept as the bytes that came (ISO-8859-1 maps each byte
     * to one char and back), so forwarding it changes nothing.
     */
    private record Head(String startLine, List<String> headerLines) {

        /** The next head, or null when the connection ended cleanly before one began. */
        static Head read(InputStream from) throws IOException {
            String start = lineOrNull(from);
            if (start == null) {
                return null;
            }
            List<String> headers = new ArrayList<>();
            int size = start.length();
            for (String line = line(from); !line.isEmpty(); line = line(from)) {
                size += line.length() + 2;
                if (size > MAX_HEAD_BYTES) {
                    throw new IOException("head longer than " + MAX_HEAD_BYTES + " bytes");
                }
                headers.add(line);
            }
            return new Head(start, List.copyOf(headers));
        }

        static String line(InputStream from) throws IOException {
            String line = lineOrNull(from);
            if (line == null) {
                throw new EOFException("connection ended within a head");
            }
            return line;
        }

        private static String lineOrNull(InputStream from) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = from.read(); ; b = from.read()) {
                if (b < 0) {
                    if (line.length() == 0) {
                        return null;
                    }
                    throw new EOFException("connection ended within a line");
                }
                if (b == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                if (line.length() >= MAX_HEAD_BYTES) {
                    throw new IOException("line longer than " + MAX_HEAD_BYTES + " bytes");
                }
                line.append((char) b);
            }
        }

        String method() {
            return startLine.substring(0, startLine.indexOf(' '));
        }

        String target() {
            int first = startLine.indexOf(' ');
            int last = startLine.lastIndexOf(' ');
            return last > first ? startLine.substring(first + 1, last) : startLine.substring(first + 1);
        }

        int status() {
            String[] parts = startLine.split(" ", 3);
            try {
                return Integer.parseInt(parts[1]);
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new IllegalStateException("not a status line: " + startLine, e);
            }
        }

        boolean has(String name) {
            return value(name) != null;
        }

        String value(String name) {
            for (String header : headerLines) {
                int colon = header.indexOf(':');
                if (colon > 0 && header.substring(0, colon).strip().equalsIgnoreCase(name)) {
                    return header.substring(colon + 1).strip();
                }
            }
            return null;
        }

        long contentLength() {
            String length = value("content-length");
            return length == null ? 0 : Long.parseLong(length);
        }

        boolean chunked() {
            String encoding = value("transfer-encoding");
            return encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked");
        }

        boolean expectsContinue() {
            String expect = value("expect");
            return expect != null && expect.equalsIgnoreCase("100-continue");
        }

        boolean closes() {
            String connection = value("connection");
            return connection != null && connection.equalsIgnoreCase("close");
        }

        byte[] bytes() {
            return without(Set.of());
        }

        /** The head as it came, minus header lines whose (lower-case) names are in {@code names}. */
        byte[] without(Set<String> names) {
            StringBuilder head = new StringBuilder(startLine).append("\r\n");
            for (String header : headerLines) {
                int colon = header.indexOf(':');
                String name = colon > 0 ? header.substring(0, colon).strip().toLowerCase(Locale.ROOT) : "";
                if (!names.contains(name)) {
                    head.append(header).append("\r\n");
                }
            }
            return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        }
    }
}

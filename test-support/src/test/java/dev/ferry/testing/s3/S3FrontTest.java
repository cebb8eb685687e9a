package dev.ferry.testing.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** S3Front on the wire, against a scripted store: what it forwards, what it answers itself, and the framing. */
class S3FrontTest {

    private ServerSocket storeListener;
    private S3Front front;

    @BeforeEach
    void startFront() throws IOException {
        storeListener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        front = S3Front.before(new ScriptedStore(storeListener.getLocalPort()));
    }

    @AfterEach
    void stop() throws IOException {
        front.close();
        storeListener.close();
    }

    @Test
    void forwardsRequestAndAnswerUnchangedExceptAStrippedHeader() throws Exception {
        front.stripResponseHeader(S3Operation.PUT_OBJECT, "x-amz-server-side-encryption");
        String request = "PUT /bkt/key HTTP/1.1\r\nHost: 127.0.0.1:1234\r\nAuthorization: AWS4 sig\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nx-trailer: t\r\n\r\n";
        String answer = "HTTP/1.1 200 OK\r\nETag: \"e\"\r\nx-amz-server-side-encryption: AES256\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n";
        CompletableFuture<String> storeSaw = serveOnce(request.length(), answer);

        try (Socket client = connectToFront()) {
            write(client, request);
            assertThat(read(client, answer.length() - "x-amz-server-side-encryption: AES256\r\n".length()))
                    .isEqualTo(
                            "HTTP/1.1 200 OK\r\nETag: \"e\"\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n");
        }
        assertThat(storeSaw.get(10, TimeUnit.SECONDS))
                .as("byte for byte, the Host header the client signed included")
                .isEqualTo(request);
        assertThat(front.seen(S3Operation.PUT_OBJECT)).isEqualTo(1);
    }

    @Test
    void answersAFaultedOperationAfterContinuingAndReadingTheBodyAndKeepsTheConnection() throws Exception {
        front.answer(S3Operation.UPLOAD_PART, 400, "InvalidRequest", "");
        front.answer(S3Operation.HEAD_OBJECT, 501, null, null);
        try (Socket client = connectToFront()) {
            write(
                    client,
                    "PUT /bkt/key?partNumber=1&uploadId=u HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                            + "Content-Length: 4\r\n\r\n");
            assertThat(read(client, 25)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            write(client, "body");
            String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InvalidRequest</Code>"
                    + "<Message></Message><RequestId>s3-front</RequestId></Error>";
            String head = "HTTP/1.1 400 Bad Request\r\nContent-Type: application/xml\r\nContent-Length: "
                    + body.length() + "\r\nx-amz-request-id: s3-front\r\n\r\n";
            assertThat(read(client, head.length() + body.length())).isEqualTo(head + body);

            write(client, "HEAD /bkt/key HTTP/1.1\r\nHost: h\r\n\r\n");
            String empty = "HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\nx-amz-request-id: s3-front\r\n\r\n";
            assertThat(read(client, empty.length())).isEqualTo(empty);
        }
        assertThat(front.seen(S3Operation.UPLOAD_PART)).isEqualTo(1);
        assertThat(front.seen(S3Operation.HEAD_OBJECT)).isEqualTo(1);

        front.reset();
        assertThat(front.seen(S3Operation.UPLOAD_PART)).isZero();
    }

    @Test
    void waitsForTheStoresContinueBeforeSendingTheBody() throws Exception {
        String head = "PUT /bkt/key HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n";
        CompletableFuture<String> storeSaw = CompletableFuture.supplyAsync(() -> {
            try (Socket store = storeListener.accept()) {
                String sawHead = read(store, head.length());
                write(store, "HTTP/1.1 100 Continue\r\n\r\n");
                String sawBody = read(store, 3);
                write(store, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
                return sawHead + sawBody;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try (Socket client = connectToFront()) {
            write(client, head);
            assertThat(read(client, 25)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            write(client, "abc");
            assertThat(read(client, 38)).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        }
        assertThat(storeSaw.get(10, TimeUnit.SECONDS)).isEqualTo(head + "abc");
    }

    private CompletableFuture<String> serveOnce(int requestLength, String answer) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket store = storeListener.accept()) {
                String saw = read(store, requestLength);
                write(store, answer);
                return saw;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private Socket connectToFront() throws IOException {
        Socket socket =
                new Socket(InetAddress.getLoopbackAddress(), front.endpoint().getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void write(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String read(Socket socket, int length) throws IOException {
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (bytes.size() < length) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            bytes.write(b);
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    /** Stands for a store at a port the test answers itself. */
    private record ScriptedStore(int port) implements S3Store {
        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public URI endpoint() {
            return URI.create("http://127.0.0.1:" + port);
        }

        @Override
        public String accessKey() {
            return "key";
        }

        @Override
        public String secretKey() {
            return "secret";
        }

        @Override
        public void createBucket(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public S3Client client() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {}
    }
}

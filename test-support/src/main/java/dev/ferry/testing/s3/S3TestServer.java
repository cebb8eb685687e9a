package dev.ferry.testing.s3;

import dev.ferry.testing.ServerLogs;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests and the local rehearsal: S3Proxy in-process on a free local port,
 * with AWS V4 authentication and an in-memory or filesystem blob store. Every completed write is
 * recorded (see {@link #completedWrites()}) so tests can observe ordering and multipart use from
 * the server's side.
 */
public final class S3TestServer implements S3Store {

    /** Any region works with S3Proxy; the steps sign with the one they are given. */
    public static final String REGION = "us-east-1";

    static {
        ServerLogs.quiet();
    }

    private final S3Proxy proxy;
    private final WriteLog writeLog;
    private final URI endpoint;
    private final String accessKey;
    private final String secretKey;
    private S3Client client;

    private S3TestServer(BlobStore store, int port, String accessKey, String secretKey) throws Exception {
        this.writeLog = new WriteLog(store);
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.proxy = S3Proxy.builder()
                .blobStore(writeLog)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        // Jetty's start() returns once the connector is bound; anything else is a failed start.
        if (!"STARTED".equals(proxy.getState())) {
            proxy.stop();
            throw new IllegalStateException("S3Proxy did not start: state " + proxy.getState());
        }
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** An in-memory store on a random free port with freshly generated credentials. */
    public static S3TestServer startTransient() throws Exception {
        return new S3TestServer(new TransientNio2BlobStore(), 0, "ferry-test", randomSecret());
    }

    /** A store kept in {@code folder} (survives the server), on {@code port} (0: a random free one). */
    public static S3TestServer startOnFilesystem(Path folder, int port, String accessKey, String secretKey)
            throws Exception {
        return new S3TestServer(
                new FilesystemNio2BlobStore(folder.toAbsolutePath().toString()), port, accessKey, secretKey);
    }

    @Override
    public String name() {
        return "s3proxy";
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public String accessKey() {
        return accessKey;
    }

    @Override
    public String secretKey() {
        return secretKey;
    }

    @Override
    public String region() {
        return REGION;
    }

    @Override
    public void createBucket(String name) {
        if (name.length() < 3 || name.length() > 63) {
            throw new IllegalArgumentException("S3 bucket names have 3 to 63 characters: " + name);
        }
        client().createBucket(b -> b.bucket(name));
    }

    /** Object writes the server completed, oldest first. */
    public List<CompletedWrite> completedWrites() {
        return writeLog.writes();
    }

    public void forgetCompletedWrites() {
        writeLog.clear();
    }

    /** A plain synchronous client for tests to inspect or tamper with the bucket. */
    @Override
    public synchronized S3Client client() {
        if (client == null) {
            client = clientBuilder().build();
        }
        return client;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
        }
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop", e);
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[20];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}

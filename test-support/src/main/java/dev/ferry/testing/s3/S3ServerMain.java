package dev.ferry.testing.s3;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the S3 test server as its own process, for the local rehearsal and for tests that must kill
 * the server mid-transfer. Credentials come from the environment ({@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY}) so the launcher chooses them and nothing secret is printed.
 *
 * <pre>java -cp … dev.ferry.testing.s3.S3ServerMain [--port N] [--dir FOLDER] [--bucket NAME]…</pre>
 *
 * Prints {@code AWS_ENDPOINT_URL_S3=http://127.0.0.1:PORT} once it serves, then runs until stopped.
 */
public final class S3ServerMain {

    private S3ServerMain() {}

    public static void main(String[] args) throws Exception {
        int port = 0;
        Path folder = null;
        List<String> buckets = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--dir" -> folder = Path.of(value(args, ++i, "--dir"));
                case "--bucket" -> buckets.add(value(args, ++i, "--bucket"));
                default -> usage("unknown argument " + args[i]);
            }
        }
        String accessKey = System.getenv("AWS_ACCESS_KEY_ID");
        String secretKey = System.getenv("AWS_SECRET_ACCESS_KEY");
        if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
            usage("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to the credentials the server should accept");
        }
        if (folder == null) {
            folder = java.nio.file.Files.createTempDirectory("ferry-s3-");
        }
        S3TestServer server = S3TestServer.startOnFilesystem(folder, port, accessKey, secretKey);
        buckets.forEach(server::createBucket);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("s3-server: stop failed: " + e);
            }
            stopped.countDown();
        }));
        System.out.println("AWS_ENDPOINT_URL_S3=" + server.endpoint());
        System.out.println("s3-server: serving folder=" + folder + " buckets=" + buckets);
        System.out.flush();
        stopped.await();
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            usage(option + " needs a value");
        }
        return args[index];
    }

    private static void usage(String problem) {
        System.err.println("s3-server: " + problem);
        System.err.println("usage: S3ServerMain [--port N] [--dir FOLDER] [--bucket NAME]...");
        System.exit(2);
    }
}

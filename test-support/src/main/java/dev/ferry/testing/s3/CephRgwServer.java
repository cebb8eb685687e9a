package dev.ferry.testing.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Ceph's RADOS Gateway as a second S3 implementation for tests, from another code base than S3Proxy and the
 * one OpenShift Data Foundation serves: a throw-away single-node cluster (one monitor, one OSD that keeps
 * objects in memory, one radosgw) started from the distribution's binaries in a fresh temporary folder on
 * free loopback ports, with its own configuration, and removed again by {@link #close()}.
 *
 * <p>One server per test class is the intended use; it starts in about a second.
 */
public final class CephRgwServer implements S3Store {

    /** The programs a cluster needs; Debian's packages ceph-mon, ceph-osd, radosgw and ceph-common hold them. */
    private static final List<String> PROGRAMS =
            List.of("monmaptool", "ceph-mon", "ceph-osd", "radosgw", "radosgw-admin", "ceph");

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final String USER = "ferry";

    private static final System.Logger LOG = System.getLogger(CephRgwServer.class.getName());

    /**
     * How the gateway is configured.
     *
     * @param requireSslForSse RGW's {@code rgw_crypt_require_ssl}: true (its default) refuses a request that
     *     asks for server-side encryption over plain HTTP with {@code 400 InvalidRequest}
     */
    public record Options(boolean requireSslForSse) {

        /** RGW's own defaults. */
        public static Options defaults() {
            return new Options(true);
        }

        public Options requireSslForSse(boolean require) {
            return new Options(require);
        }
    }

    private final Path folder;
    private final List<Process> daemons = new ArrayList<>();
    private final List<String> daemonNames = new ArrayList<>();
    private final Thread shutdownHook;
    private URI endpoint;
    private String accessKey;
    private String secretKey;
    private S3Client client;
    private Duration startTime;

    private CephRgwServer(Path folder) {
        this.folder = folder;
        // A test JVM that dies without close() must not leave three daemons behind.
        this.shutdownHook = new Thread(this::stopDaemons, "ceph-rgw-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Whether this machine has the Ceph programs (hack/install-prerequisites.sh test installs them). */
    public static boolean available() {
        return PROGRAMS.stream().allMatch(program -> findProgram(program) != null);
    }

    /** A cluster with RGW's defaults. */
    public static CephRgwServer start() {
        return start(Options.defaults());
    }

    public static CephRgwServer start(Options options) {
        List<String> missing =
                PROGRAMS.stream().filter(p -> findProgram(p) == null).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Ceph's programs are not on this machine (missing " + missing
                    + "): hack/install-prerequisites.sh test installs ceph-mon ceph-osd radosgw ceph-common");
        }
        Path folder;
        try {
            folder = Files.createTempDirectory("ferry-ceph-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CephRgwServer server = new CephRgwServer(folder);
        try {
            server.startCluster(options);
            return server;
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    private void startCluster(Options options) {
        long started = System.nanoTime();
        int monPort = freePort();
        int rgwPort = freePort();
        String fsid = UUID.randomUUID().toString();
        Path conf = folder.resolve("ceph.conf");
        try {
            for (String sub : List.of("run", "log", "mon", "osd", "rgw")) {
                Files.createDirectories(folder.resolve(sub));
            }
            Files.writeString(conf, configuration(fsid, monPort, rgwPort, options));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String c = conf.toString();

        run("monmaptool", "--create", "--fsid", fsid, "--addv", "a", "[v2:127.0.0.1:" + monPort + "]", "monmap");
        run("ceph-mon", "--conf", c, "-i", "a", "--mkfs", "--monmap", "monmap");
        daemon("mon.a", "ceph-mon", "--conf", c, "-i", "a", "-f");
        long monStarted = System.nanoTime();

        String osdUuid = UUID.randomUUID().toString();
        String osdId = run("ceph", "--conf", c, "--connect-timeout", "30", "osd", "new", osdUuid)
                .strip();
        run("ceph-osd", "--conf", c, "-i", osdId, "--mkfs", "--osd-uuid", osdUuid);
        daemon("osd." + osdId, "ceph-osd", "--conf", c, "-i", osdId, "-f");
        long osdStarted = System.nanoTime();

        accessKey = "ferry" + randomHex(6);
        secretKey = randomHex(20);
        run(
                "radosgw-admin",
                "--conf",
                c,
                "user",
                "create",
                "--uid=" + USER,
                "--display-name=Ferry tests",
                "--access-key=" + accessKey,
                "--secret-key=" + secretKey);
        long userCreated = System.nanoTime();
        // Only now: radosgw and radosgw-admin creating the same pools at once stall on the monitor for ~5 s.
        daemon("client.rgw", "radosgw", "--conf", c, "-n", "client.rgw", "-f");
        endpoint = URI.create("http://127.0.0.1:" + rgwPort);
        awaitGateway(rgwPort);
        long answered = System.nanoTime();
        startTime = Duration.ofNanos(answered - started);
        LOG.log(
                System.Logger.Level.INFO,
                String.format(
                        "ceph-rgw: started endpoint=%s folder=%s seconds=%.2f (mon=%.2f osd=%.2f user=%.2f rgw=%.2f)",
                        endpoint,
                        folder,
                        seconds(answered - started),
                        seconds(monStarted - started),
                        seconds(osdStarted - monStarted),
                        seconds(userCreated - osdStarted),
                        seconds(answered - userCreated)));
    }

    /**
     * The cluster's configuration, everything in {@link #folder}. Without cephx (a loopback-only throw-away
     * cluster needs no keys); pools of one replica and few placement groups on one in-memory OSD; and the
     * monitor's Paxos proposals at once rather than once a second, which takes a start from ~20 s to ~1.5 s
     * (radosgw creates its pools one monitor round after the other). A client whose first read finds no OSD for a
     * new pool's placement group asks for the next OSD map only on its objecter tick, every 5 s by default: a
     * tick of 0.2 s keeps an unlucky start from waiting 5 s more.
     */
    private String configuration(String fsid, int monPort, int rgwPort, Options options) {
        String dir = folder.toString();
        return String.join(
                "\n",
                "[global]",
                "fsid = " + fsid,
                "mon host = v2:127.0.0.1:" + monPort,
                "public addr = 127.0.0.1",
                "auth cluster required = none",
                "auth service required = none",
                "auth client required = none",
                // radosgw otherwise insists on an encrypted monitor session, which needs cephx.
                "ms mon client mode = crc",
                "run dir = " + dir + "/run",
                "admin socket = " + dir + "/run/$name.asok",
                "pid file = " + dir + "/run/$name.pid",
                "log file = " + dir + "/log/$name.log",
                "mon data = " + dir + "/mon",
                "osd data = " + dir + "/osd",
                "rgw data = " + dir + "/rgw",
                "keyring = " + dir + "/$name.keyring",
                "mon allow pool size one = true",
                "mon warn on pool no redundancy = false",
                "osd pool default size = 1",
                "osd pool default min size = 1",
                "osd pool default pg num = 8",
                "osd pool default pgp num = 8",
                "osd pool default pg autoscale mode = off",
                "osd crush chooseleaf type = 0",
                "osd objectstore = memstore",
                "memstore device bytes = 1073741824",
                "paxos propose interval = 0.01",
                "paxos min wait = 0.001",
                "objecter tick interval = 0.2",
                "rgw frontends = beast endpoint=127.0.0.1:" + rgwPort,
                "rgw crypt require ssl = " + options.requireSslForSse(),
                "");
    }

    @Override
    public String name() {
        return "ceph-rgw";
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

    /** How long {@link #start} took, from the first program to the first answered request. */
    public Duration startTime() {
        return startTime;
    }

    /** The folder that holds the configuration, the daemons' data and their logs (gone after close). */
    public Path folder() {
        return folder;
    }

    @Override
    public void createBucket(String name) {
        if (name.length() < 3 || name.length() > 63) {
            throw new IllegalArgumentException("S3 bucket names have 3 to 63 characters: " + name);
        }
        client().createBucket(b -> b.bucket(name));
    }

    @Override
    public synchronized S3Client client() {
        if (client == null) {
            client = clientBuilder().build();
        }
        return client;
    }

    /**
     * What RGW itself stored for an object ({@code radosgw-admin object stat}, JSON): its manifest and
     * attributes, among them {@code user.rgw.crypt.mode} when the object was encrypted. The S3 answer alone
     * cannot tell whether an object was really encrypted.
     */
    public String objectStat(String bucket, String key) {
        return run(
                "radosgw-admin",
                "--conf",
                folder.resolve("ceph.conf").toString(),
                "object",
                "stat",
                "--bucket=" + bucket,
                "--object=" + key);
    }

    /** Stops all daemons (SIGKILL: nothing in the cluster is worth keeping) and deletes the folder. */
    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
        stopDaemons();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // Called from another shutdown hook: ours runs (harmlessly) as well.
        }
        deleteFolder();
    }

    private void stopDaemons() {
        synchronized (daemons) {
            // The gateway first, the monitor last, so none of them spends its end reconnecting.
            for (int i = daemons.size() - 1; i >= 0; i--) {
                daemons.get(i).descendants().forEach(ProcessHandle::destroyForcibly);
                daemons.get(i).destroyForcibly();
            }
            for (Process daemon : daemons) {
                try {
                    daemon.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            daemons.clear();
        }
    }

    private void deleteFolder() {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + folder, e);
        }
    }

    /** Starts a daemon in the foreground; its own log goes to log/NAME.log, what it prints to log/NAME.out. */
    private void daemon(String name, String... command) {
        Path out = folder.resolve("log").resolve(name + ".out");
        try {
            Process process = new ProcessBuilder(resolved(command))
                    .directory(folder.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            synchronized (daemons) {
                daemons.add(process);
                daemonNames.add(name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command[0], e);
        }
    }

    /** Runs a set-up program to its end and returns what it printed; throws with its output when it fails. */
    private String run(String... command) {
        Path out = folder.resolve("log").resolve(command[0] + "-" + System.nanoTime() + ".out");
        try {
            Process process = new ProcessBuilder(resolved(command))
                    .directory(folder.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!process.waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor();
                throw new IllegalStateException(
                        String.join(" ", command) + " did not finish in " + STEP_TIMEOUT + daemonLogs());
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ":\n"
                        + tail(output) + daemonLogs());
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command[0], e);
        }
    }

    /**
     * Waits until the gateway answers an authenticated request: radosgw binds its port before its pools
     * exist. Fails at once, with the logs, when a daemon has exited.
     */
    private void awaitGateway(int port) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            synchronized (daemons) {
                for (Process daemon : daemons) {
                    if (!daemon.isAlive()) {
                        throw new IllegalStateException(
                                "a Ceph daemon exited with " + daemon.exitValue() + daemonLogs());
                    }
                }
            }
            if (accepts(port)) {
                try {
                    client().listBuckets();
                    return;
                } catch (RuntimeException notYet) {
                    last = notYet;
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for radosgw", e);
            }
        }
        throw new IllegalStateException("radosgw did not answer on port " + port + " within " + START_TIMEOUT
                + " (last: " + last + ")" + daemonLogs());
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** The tails of the daemons' logs, for the message of a failed start. */
    private String daemonLogs() {
        List<String> names;
        synchronized (daemons) {
            names = List.copyOf(daemonNames);
        }
        StringBuilder logs = new StringBuilder();
        for (String name : names) {
            for (String file : List.of(name + ".log", name + ".out")) {
                Path path = folder.resolve("log").resolve(file);
                try {
                    String text = Files.isRegularFile(path) ? Files.readString(path, StandardCharsets.UTF_8) : "";
                    if (!text.isBlank()) {
                        logs.append("\n--- ").append(path).append(" ---\n").append(tail(text));
                    }
                } catch (IOException unreadable) {
                    logs.append("\n--- ").append(path).append(": ").append(unreadable);
                }
            }
        }
        return logs.toString();
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    /** The command with its program found the way {@link #available()} finds it. */
    private static String[] resolved(String[] command) {
        String[] copy = command.clone();
        Path program = findProgram(command[0]);
        if (program != null) {
            copy[0] = program.toString();
        }
        return copy;
    }

    private static Path findProgram(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        // Daemons live in /usr/bin on Debian; sbin covers distributions that put them there.
        for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}

package dev.ferry.restore;

import dev.ferry.core.DaemonThreads;
import dev.ferry.core.StepFailure;
import dev.ferry.pg.PgTool;
import dev.ferry.pg.PgToolRunner;
import dev.ferry.pg.RunningTool;
import dev.ferry.pg.ToolResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Loads one table's data from the dump over several sessions at once. pg_restore loads a table in one
 * session, so the largest table (Onyx's {@code chat_message}, whose every row also computes its
 * {@code tsvector}) keeps one core busy while the others idle; pgcopydb and PeerDB split it, and so
 * does this, at the load: pg_restore prints that one data entry as SQL (its {@code SET} prologue, the
 * {@code COPY … FROM stdin;} line, the rows, {@code \.}), and blocks of whole rows go to {@code streams}
 * psql sessions, each running the same prologue and COPY. The rows are the dump's, read in its one
 * snapshot, so nothing about what is loaded changes, only how many sessions load it.
 *
 * <p>In COPY's text format a row is one line (a newline inside a value is written {@code \n}), so cutting
 * at a newline never cuts a row. Memory stays flat: at most {@code 2 × streams} blocks wait in the queue, and
 * written blocks are filled again rather than allocated anew.
 * Every stream's {@code COPY n} is added up and must equal the rows read, or the step fails (exit 4).
 */
final class ParallelTableCopy {

    private static final Logger LOG = Logger.getLogger(ParallelTableCopy.class);
    static final int BLOCK_BYTES = 1 << 20;
    private static final int MAX_PROLOGUE_BYTES = 64 * 1024;
    private static final Pattern COPY_LINE = Pattern.compile("COPY .+ FROM stdin;");
    private static final Pattern SET_LINE = Pattern.compile("SET ([a-z_.]+) = .*;");
    private static final Pattern COPY_DONE = Pattern.compile("(?m)^COPY (\\d+)$");
    private static final byte[] END_OF_DATA = "\\.\n".getBytes(StandardCharsets.US_ASCII);
    private static final Block END = new Block(new byte[0], 0);

    private record Block(byte[] bytes, int length) {}

    private final PgToolRunner tools;
    private final String database;
    private final Path dumpInput;
    private final Set<String> serverSettings;

    /**
     * @param serverSettings the target's parameter names ({@code pg_settings}): a newer pg_restore's
     *     prologue may set one an older server lacks ({@code transaction_timeout} before 17), and that
     *     line is left out, as pg_restore leaves it out when it talks to the server itself.
     */
    ParallelTableCopy(PgToolRunner tools, String database, Path dumpInput, Set<String> serverSettings) {
        this.tools = tools;
        this.database = database;
        this.dumpInput = dumpInput;
        this.serverSettings = serverSettings;
    }

    /** Loads the data entry the list file selects over {@code streams} sessions; returns the rows loaded. */
    long load(String table, Path listFile, int streams, Deadline deadline) throws IOException, InterruptedException {
        long started = System.nanoTime();
        List<RunningTool> sinks = new ArrayList<>();
        ExecutorService writers = Executors.newFixedThreadPool(streams, DaemonThreads.named("ferry-copy-" + table));
        try (RunningTool source = tools.start(
                PgTool.PG_RESTORE,
                List.of("--data-only", "--use-list=" + listFile, "--file=-", dumpInput.toString()),
                RunningTool.Streams.OUTPUT)) {
            InputStream rows = source.output();
            byte[] prologue = prologue(rows, table, source);
            BlockingQueue<Block> queue = new ArrayBlockingQueue<>(2 * streams);
            // Blocks written go back here and are filled again: the load allocates a fixed set of buffers.
            BlockingQueue<byte[]> spare = new ArrayBlockingQueue<>(3 * streams + 2);
            List<Future<?>> writing = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                RunningTool sink = tools.start(
                        PgTool.PSQL,
                        List.of(
                                "-X",
                                "--no-password",
                                "-v",
                                "ON_ERROR_STOP=1",
                                "--dbname=" + PgConnInfo.dbname(database)),
                        RunningTool.Streams.INPUT);
                sinks.add(sink);
                writing.add(writers.submit(() -> feed(sink.input(), prologue, queue, spare)));
            }
            long rowsRead = split(rows, queue, spare, writing);
            if (rowsRead < 0) {
                throw sessionFailed(table, source, sinks, writers);
            }
            for (int i = 0; i < streams; i++) {
                offer(queue, END, writing);
            }
            rows.transferTo(OutputStream.nullOutputStream()); // pg_restore's closing comments
            for (Future<?> future : writing) {
                awaitWriter(future, table);
            }
            long rowsLoaded = 0;
            for (RunningTool sink : sinks) {
                rowsLoaded += copied(sink.await(deadline.remaining()), table);
            }
            ToolResult restored = source.await(deadline.remaining());
            if (!restored.succeeded()) {
                throw StepFailure.verificationFailed("pg_restore printing the data of " + table + " failed (exit "
                        + restored.exitCode() + "): " + restored.stderrSummary(500));
            }
            if (rowsLoaded != rowsRead) {
                throw StepFailure.verificationFailed("loading " + table + " over " + streams + " sessions loaded "
                        + rowsLoaded + " rows of the dump's " + rowsRead);
            }
            LOG.infof(
                    "phase=pg_restore part=split table=%s streams=%d rows=%d seconds=%.1f",
                    table, streams, rowsLoaded, (System.nanoTime() - started) / 1e9);
            return rowsLoaded;
        } finally {
            writers.shutdownNow();
            sinks.forEach(RunningTool::close);
        }
    }

    /** Reads through the COPY line; returns the prologue to replay in every session, minus unknown settings. */
    private byte[] prologue(InputStream rows, String table, RunningTool source) throws IOException {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        int read = 0;
        while (read < MAX_PROLOGUE_BYTES) {
            byte[] line = readLine(rows);
            if (line == null) {
                break;
            }
            read += line.length;
            String text = new String(line, StandardCharsets.UTF_8).strip();
            Matcher set = SET_LINE.matcher(text);
            if (set.matches() && !serverSettings.contains(set.group(1))) {
                LOG.infof("phase=pg_restore part=split table=%s left_out=\"%s\" reason=unknown_to_target", table, text);
                continue;
            }
            kept.write(line);
            if (COPY_LINE.matcher(text).matches()) {
                return kept.toByteArray();
            }
        }
        ToolResult printed = source.await(Duration.ofSeconds(30));
        throw StepFailure.verificationFailed("pg_restore printed no COPY for the data of " + table + " within " + read
                + " bytes (exit " + printed.exitCode() + "): " + printed.stderrSummary(500));
    }

    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        for (int b; (b = in.read()) >= 0; ) {
            line.write(b);
            if (b == '\n') {
                return line.toByteArray();
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
    }

    /** Cuts the rows into blocks of whole lines up to the {@code \.} line; returns the number of rows. */
    private static long split(
            InputStream in, BlockingQueue<Block> queue, BlockingQueue<byte[]> spare, List<Future<?>> writing)
            throws IOException, InterruptedException {
        byte[] buffer = buffer(spare, 0);
        int filled = 0;
        int lineStart = 0;
        int scanned = 0;
        long rows = 0;
        while (true) {
            if (filled == buffer.length) {
                if (lineStart == 0) {
                    buffer = Arrays.copyOf(buffer, buffer.length * 2); // one row longer than a block
                } else {
                    if (!offer(queue, new Block(buffer, lineStart), writing)) {
                        return -1;
                    }
                    byte[] next = buffer(spare, filled - lineStart + 1);
                    System.arraycopy(buffer, lineStart, next, 0, filled - lineStart);
                    buffer = next;
                    filled -= lineStart;
                    scanned -= lineStart;
                    lineStart = 0;
                }
            }
            int n = in.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                throw StepFailure.verificationFailed("the table's data in the dump ended without its end marker");
            }
            filled += n;
            for (; scanned < filled; scanned++) {
                if (buffer[scanned] != '\n') {
                    continue;
                }
                if (scanned - lineStart == 2 && buffer[lineStart] == '\\' && buffer[lineStart + 1] == '.') {
                    boolean taken = lineStart == 0 || offer(queue, new Block(buffer, lineStart), writing);
                    return taken ? rows : -1;
                }
                rows++;
                lineStart = scanned + 1;
            }
        }
    }

    /** A spare buffer of the block size if one is back, else a new one; larger when one row needs more. */
    private static byte[] buffer(BlockingQueue<byte[]> spare, int atLeast) {
        if (atLeast <= BLOCK_BYTES) {
            byte[] reused = spare.poll();
            if (reused != null) {
                return reused;
            }
        }
        return new byte[Math.max(BLOCK_BYTES, atLeast)];
    }

    /** Puts a block in the queue; false when a session ended early (it failed and takes no more blocks). */
    private static boolean offer(BlockingQueue<Block> queue, Block block, List<Future<?>> writing)
            throws InterruptedException {
        while (!queue.offer(block, 100, TimeUnit.MILLISECONDS)) {
            if (writing.stream().anyMatch(Future::isDone)) {
                return false;
            }
        }
        return true;
    }

    private static Void feed(
            OutputStream session, byte[] prologue, BlockingQueue<Block> queue, BlockingQueue<byte[]> spare)
            throws Exception {
        try (OutputStream out = session) {
            out.write(prologue);
            for (Block block = queue.take(); block != END; block = queue.take()) {
                out.write(block.bytes(), 0, block.length());
                if (block.bytes().length == BLOCK_BYTES) {
                    spare.offer(block.bytes()); // a full pool drops it: the garbage collector takes it
                }
            }
            out.write(END_OF_DATA);
        }
        return null;
    }

    /**
     * One session ended early. The others are stopped before their input ends (an ended input would
     * commit the rows they have), and the failed session's own error becomes the step's.
     */
    private static StepFailure sessionFailed(
            String table, RunningTool source, List<RunningTool> sinks, ExecutorService writers) {
        source.stop();
        List<RunningTool> failed =
                sinks.stream().filter(sink -> !sink.isAlive()).toList();
        sinks.forEach(RunningTool::stop);
        writers.shutdownNow();
        for (RunningTool sink : failed) {
            try {
                copied(sink.await(Duration.ofSeconds(30)), table);
            } catch (StepFailure failure) {
                return failure;
            }
        }
        return StepFailure.verificationFailed("loading the data of " + table + " failed: a session ended early");
    }

    private static void awaitWriter(Future<?> writer, String table) throws InterruptedException {
        try {
            writer.get();
        } catch (java.util.concurrent.ExecutionException e) {
            // The session ended early: its psql's own error (below, from its stderr) says why.
            LOG.infof("phase=pg_restore part=split table=%s session_failed=\"%s\"", table, e.getCause());
        }
    }

    private static long copied(ToolResult session, String table) {
        RestoreErrors errors = RestoreErrors.parse(PgTool.PSQL.executable(), session.stderr());
        Matcher done = COPY_DONE.matcher(session.stdout());
        if (!session.succeeded() || !errors.fatal().isEmpty() || !done.find()) {
            throw StepFailure.verificationFailed("loading the data of " + table + " failed (psql exit "
                    + session.exitCode() + "): "
                    + (errors.fatal().isEmpty() ? session.stderrSummary(500) : errors.fatalSummary(5)));
        }
        return Long.parseLong(done.group(1));
    }
}

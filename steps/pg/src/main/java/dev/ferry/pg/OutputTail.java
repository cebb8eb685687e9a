package dev.ferry.pg;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Drains one output stream of a child process on its own thread (a full pipe would block the tool)
 * and keeps at most {@link #MAX_CHARS} of it, so a tool that prints thousands of errors cannot
 * exhaust memory; every line is also handed to a listener (the step's log).
 */
final class OutputTail {

    static final int MAX_CHARS = 256 * 1024;

    private final StringBuilder text = new StringBuilder();
    private final Thread reader;
    private long droppedLines;

    OutputTail(InputStream stream, String threadName, Consumer<String> listener) {
        reader = new Thread(() -> drain(stream, listener), threadName);
        reader.setDaemon(true);
        reader.start();
    }

    private void drain(InputStream stream, Consumer<String> listener) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                listener.accept(line);
                synchronized (text) {
                    if (text.length() + line.length() < MAX_CHARS) {
                        text.append(line).append('\n');
                    } else {
                        droppedLines++;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the stream is closed (the process ended) and returns what was kept. */
    String await() throws InterruptedException {
        reader.join();
        synchronized (text) {
            return droppedLines == 0 ? text.toString() : text + "… " + droppedLines + " more lines not kept\n";
        }
    }
}

package dev.ferry.alembicrun;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jboss.logging.Logger;

/** Passes alembic's output into the step's log line by line and keeps the last lines to explain a failure. */
final class OutputLines {

    private static final Logger LOG = Logger.getLogger("dev.ferry.alembicrun.alembic");
    private static final int KEPT = 80;

    private final String source;
    private final Deque<String> tail = new ArrayDeque<>();
    private int count;

    OutputLines(String source) {
        this.source = source;
    }

    synchronized void accept(String line) {
        LOG.infof("%s | %s", source, line);
        count++;
        tail.addLast(line);
        if (tail.size() > KEPT) {
            tail.removeFirst();
        }
    }

    synchronized List<String> tail() {
        return new ArrayList<>(tail);
    }

    synchronized int count() {
        return count;
    }
}

package dev.ferry.testing;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The real parts' own chatter (initdb and pg_ctl output, Jetty starting, S3Proxy's request lines) would
 * drown the lines of the steps a test or a rehearsal is about; their warnings and errors still show.
 */
public final class ServerLogs {

    /** Held here because java.util.logging keeps loggers only weakly, and would forget their level. */
    private static final List<Logger> QUIET = List.of(
            Logger.getLogger("io.zonky"),
            Logger.getLogger("org.eclipse.jetty"),
            Logger.getLogger("org.gaul"),
            Logger.getLogger("org.jclouds"));

    private ServerLogs() {}

    public static void quiet() {
        QUIET.forEach(logger -> logger.setLevel(Level.WARNING));
    }
}

package dev.ferry.rehearsal;

import java.time.Duration;

/** One step of the rehearsal as it ran: which, how it ended, how long it took, what it printed. */
public record PhaseResult(String step, int exitCode, Duration duration, String output) {

    public boolean succeeded() {
        return exitCode == 0;
    }
}

package dev.ferry.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The follow run's one line, in the form the issue asks for and a person or grep reads. */
class FollowResultTest {

    @Test
    void printsOneLineWithTheOutageAgainstTheRunbooksWindow() {
        FollowResult result = new FollowResult(265_000, 337_400_000L, 2.4, 20.82, 1234, 6712.4, 400, 30, null);
        assertThat(result.line())
                .isEqualTo(
                        "follow: db=337 outage=2.40 runbook_window=20.82 ratio=0.115 pending=1234 apply_rate=6712/s");
    }

    @Test
    void theRatioIsTheOutageOverTheWindow() {
        assertThat(new FollowResult(840_000, 1_071_000_000L, 3.0, 60.0, 0, 7000, 400, 30, null).ratio())
                .isEqualTo(0.05);
    }
}

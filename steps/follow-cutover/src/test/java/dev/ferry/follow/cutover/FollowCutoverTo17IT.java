package dev.ferry.follow.cutover;

import dev.ferry.testing.pg.PgMajor;

/** The cutover from PostgreSQL 15 into 17. */
class FollowCutoverTo17IT extends FollowCutoverScenario {

    @Override
    PgMajor targetMajor() {
        return PgMajor.LATEST;
    }
}

package dev.ferry.follow.cutover;

import dev.ferry.testing.pg.PgMajor;

/** The cutover from PostgreSQL 15 into 18, the newest major (CloudNativePG's newest default). */
class FollowCutoverTo18IT extends FollowCutoverScenario {

    @Override
    PgMajor targetMajor() {
        return PgMajor.NEWEST;
    }
}

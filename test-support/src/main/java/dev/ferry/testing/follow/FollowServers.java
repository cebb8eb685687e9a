package dev.ferry.testing.follow;

import dev.ferry.testing.pg.OnyxFixture;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import dev.ferry.testing.s3.S3TestServer;
import java.sql.Connection;
import java.util.Map;

/**
 * The real parts a follow IT runs against: a PostgreSQL 15 source with {@code wal_level=logical} holding the Onyx
 * fixture with {@code chat_message} as Onyx has it (only {@code UNIQUE (id)}, so a follow must set its replica
 * identity), an empty target server (PostgreSQL 17 unless chosen), and an S3 server with the follow's bucket.
 */
public record FollowServers(PostgresServer source, PostgresServer target, S3TestServer s3) implements AutoCloseable {

    public static FollowServers start(String database, String bucket) throws Exception {
        return start(PgMajor.EXTRA, PgMajor.LATEST, database, bucket);
    }

    /** The same with the majors chosen: a follow runs into every target major from the source's up. */
    public static FollowServers start(PgMajor sourceMajor, PgMajor targetMajor, String database, String bucket)
            throws Exception {
        FollowServers servers = withoutDatabase(sourceMajor, targetMajor, bucket);
        OnyxFixture.singleTenant().installInto(servers.source(), database);
        try (Connection c = servers.source().connect(database)) {
            OnyxFixture.keyChatMessageAsOnyxDoes(c);
        }
        return servers;
    }

    /** The servers and the bucket only: the test creates the source's database itself (another owner, a layout). */
    public static FollowServers withoutDatabase(PgMajor sourceMajor, PgMajor targetMajor, String bucket)
            throws Exception {
        PostgresServer source = PostgresServer.start(sourceMajor, Map.of("wal_level", "logical"));
        PostgresServer target = PostgresServer.start(targetMajor);
        S3TestServer s3 = S3TestServer.startTransient();
        s3.createBucket(bucket);
        return new FollowServers(source, target, s3);
    }

    @Override
    public void close() {
        s3.close();
        source.close();
        target.close();
    }
}

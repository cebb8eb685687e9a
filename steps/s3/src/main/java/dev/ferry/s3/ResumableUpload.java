package dev.ferry.s3;

import dev.ferry.core.Sha256;
import dev.ferry.core.StepFailure;
import dev.ferry.core.TransferProgress;
import dev.ferry.core.workspace.AtomicFiles;
import dev.ferry.core.workspace.JsonCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.FileRequestBodyConfiguration;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * One file sent as an S3 multipart upload that a later run can finish. As soon as the store opens the
 * upload, its id is written to a journal in the workspace with the file's size and SHA-256. A run that
 * was killed leaves both behind; the next run lists the parts the store already holds (ListParts, the
 * protocol's own way to resume), keeps each one whose size and digest match the same range of the local
 * file, and sends only the rest. A part's digest is its SHA-256 checksum where the store returns one,
 * otherwise its ETag, which S3 and the stores that follow it define as the MD5 of the part's bytes; a part
 * that proves neither (SSE-KMS, a store with opaque ETags) is simply sent again. At most
 * {@code concurrency} parts are in flight, each streamed from its range of the file, so memory stays flat
 * whatever the file's size.
 */
final class ResumableUpload {

    private static final Logger LOG = Logger.getLogger(ResumableUpload.class);

    /** S3's limit on the parts of one upload. */
    static final int MAX_PARTS = 10_000;

    /** What a run records once the store has opened the upload: enough for a later run to find and trust it. */
    record Journal(String key, String uploadId, long size, String sha256, long partSize) {

        /** Whether this journal's upload is one of exactly this file, cut into parts of this size. */
        boolean describes(String key, long size, String sha256, long partSize) {
            return key.equals(this.key)
                    && size == this.size
                    && sha256.equalsIgnoreCase(String.valueOf(this.sha256))
                    && partSize == this.partSize
                    && uploadId != null;
        }
    }

    private final S3Transfer store;
    private final S3AsyncClient client;
    private final String bucket;
    private final int concurrency;
    private final boolean partChecksums;

    ResumableUpload(S3Transfer store, S3AsyncClient client, String bucket, int concurrency, boolean partChecksums) {
        this.store = store;
        this.client = client;
        this.bucket = bucket;
        this.concurrency = concurrency;
        this.partChecksums = partChecksums;
    }

    /** The part size for a file: the configured one, raised where the file would otherwise need more than 10,000 parts. */
    static long partSizeFor(long size, long configured) {
        long needed = (size + MAX_PARTS - 1) / MAX_PARTS;
        return Math.max(configured, needed);
    }

    UploadOutcome send(
            String key,
            Path file,
            long size,
            String sha256,
            long configuredPartSize,
            Map<String, String> metadata,
            Path journalFile,
            TransferProgress progress) {
        long partSize = partSizeFor(size, configuredPartSize);
        int parts = (int) ((size + partSize - 1) / partSize);
        Optional<Journal> earlier = readJournal(journalFile).filter(j -> j.describes(key, size, sha256, partSize));
        PartsInFlight done = new PartsInFlight();
        String uploadId = null;
        if (earlier.isPresent()) {
            Optional<Map<Integer, CompletedPart>> stored = verifiedParts(earlier.get(), file, parts, partSize);
            if (stored.isPresent()) {
                uploadId = earlier.get().uploadId();
                done.alreadyStored(stored.get());
            }
        }
        int reusedParts = done.storedCount();
        long reused = 0;
        for (int number : done.storedNumbers()) {
            reused += lengthOf(number, size, partSize);
        }
        if (uploadId == null) {
            uploadId = create(key, metadata);
            AtomicFiles.writeJson(journalFile, new Journal(key, uploadId, size, sha256, partSize));
        } else {
            LOG.infof(
                    "phase=upload key=%s resumed=true reused_parts=%d of=%d reused_bytes=%d",
                    key, reusedParts, parts, reused);
        }
        progress.set(reused);

        List<CompletedPart> ordered = sendMissingParts(key, uploadId, file, size, partSize, parts, done, progress);

        String id = uploadId;
        store.await(
                S3Call.COMPLETE_MULTIPART_UPLOAD,
                client.completeMultipartUpload(
                        b -> b.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(ordered))));
        AtomicFiles.deleteQuietly(journalFile);
        return new UploadOutcome(size - reused, reused, reusedParts);
    }

    private String create(String key, Map<String, String> metadata) {
        return store.createUpload(key, b -> {
            b.metadata(metadata);
            if (partChecksums) {
                b.checksumAlgorithm(ChecksumAlgorithm.CRC32);
            }
        });
    }

    /**
     * The parts of the earlier upload that hold exactly the bytes of the local file, by part number; empty
     * when the store no longer has that upload (completed, aborted or expired by a lifecycle rule).
     */
    private Optional<Map<Integer, CompletedPart>> verifiedParts(Journal journal, Path file, int parts, long partSize) {
        Map<Integer, CompletedPart> verified = new TreeMap<>();
        Integer marker = null;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (true) {
                Integer from = marker;
                ListPartsResponse page = store.await(S3Call.LIST_PARTS, client.listParts(b -> {
                    b.bucket(bucket).key(journal.key()).uploadId(journal.uploadId());
                    if (from != null) {
                        b.partNumberMarker(from);
                    }
                }));
                for (Part part : page.parts()) {
                    int number = part.partNumber();
                    if (number >= 1
                            && number <= parts
                            && part.size() != null
                            && part.size() == lengthOf(number, journal.size(), partSize)
                            && holdsLocalBytes(part, channel, (number - 1) * partSize, part.size())) {
                        verified.put(
                                number,
                                CompletedPart.builder()
                                        .partNumber(number)
                                        .eTag(part.eTag())
                                        .checksumCRC32(partChecksums ? part.checksumCRC32() : null)
                                        .build());
                    }
                }
                if (!Boolean.TRUE.equals(page.isTruncated()) || page.nextPartNumberMarker() == null) {
                    return Optional.of(verified);
                }
                marker = page.nextPartNumberMarker();
            }
        } catch (NoSuchKeyException gone) {
            return Optional.empty();
        } catch (StepFailure failed) {
            if (!S3Failures.unsupported(failed)) {
                throw failed;
            }
            // Without ListParts nothing proves which parts hold this file's bytes: all are sent again, in a new upload.
            LOG.warnf(
                    "phase=upload key=%s warning=\"the store does not list an upload's parts (ListParts was answered"
                            + " %s): the upload a killed run left open is not resumed but sent again\"",
                    journal.key(), S3Failures.describeAnswer(failed));
            store.abortQuietly(journal.key(), journal.uploadId());
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static boolean holdsLocalBytes(Part part, FileChannel file, long from, long length) throws IOException {
        MessageDigest md5 = md5();
        MessageDigest sha256 = Sha256.newDigest();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        long position = from;
        long end = from + length;
        while (position < end) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
            int read = file.read(buffer, position);
            if (read < 0) {
                return false;
            }
            buffer.flip();
            md5.update(buffer.duplicate());
            sha256.update(buffer);
            position += read;
        }
        if (part.checksumSHA256() != null) {
            return part.checksumSHA256().equals(Base64.getEncoder().encodeToString(sha256.digest()));
        }
        String etag = part.eTag() == null ? "" : part.eTag().replace("\"", "");
        return etag.equalsIgnoreCase(HexFormat.of().formatHex(md5.digest()));
    }

    /** Sends the parts the store does not hold yet, at most {@code concurrency} at once; all parts, in order. */
    private List<CompletedPart> sendMissingParts(
            String key,
            String uploadId,
            Path file,
            long size,
            long partSize,
            int parts,
            PartsInFlight done,
            TransferProgress progress) {
        Semaphore inFlight = new Semaphore(concurrency);
        for (int number = 1; number <= parts && !done.failed(); number++) {
            if (done.isStored(number)) {
                continue;
            }
            acquire(inFlight, done.firstFailure());
            if (done.failed()) {
                break;
            }
            int part = number;
            long length = lengthOf(part, size, partSize);
            AsyncRequestBody body = AsyncRequestBody.fromFile(FileRequestBodyConfiguration.builder()
                    .path(file)
                    .position((part - 1) * partSize)
                    .numBytesToRead(length)
                    .build());
            done.track(
                    part,
                    client.uploadPart(
                            b -> {
                                b.bucket(bucket).key(key).uploadId(uploadId).partNumber(part);
                                if (partChecksums) {
                                    b.checksumAlgorithm(ChecksumAlgorithm.CRC32);
                                }
                            },
                            body),
                    inFlight::release,
                    () -> progress.add(length));
        }
        return done.awaitAll(store);
    }

    /** Waits for a free slot, or for a part to fail (then no more parts are started). */
    private static void acquire(Semaphore inFlight, CompletableFuture<Void> firstFailure) {
        try {
            while (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                if (firstFailure.isDone()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            firstFailure.completeExceptionally(e);
        }
    }

    private static long lengthOf(int partNumber, long size, long partSize) {
        return Math.min(partSize, size - (partNumber - 1) * partSize);
    }

    static Optional<Journal> readJournal(Path journalFile) {
        if (!Files.isRegularFile(journalFile)) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    JsonCodec.fromBytes(Files.readAllBytes(journalFile), Journal.class, journalFile.toString()));
        } catch (IOException | RuntimeException unreadable) {
            // A journal cut short by a crash only costs the resume: the open upload it named is aborted as stale.
            return Optional.empty();
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JVM", e);
        }
    }
}

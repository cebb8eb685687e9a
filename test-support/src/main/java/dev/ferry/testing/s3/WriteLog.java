package dev.ferry.testing.s3;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Records, in the order the server finished them, every object write and delete that reached the blob store,
 * so tests can prove ordering ("manifest last") and the use of multipart uploads from the server's
 * side rather than trusting timestamps with one-second resolution.
 */
final class WriteLog extends ForwardingBlobStore {

    private final List<CompletedWrite> writes = new CopyOnWriteArrayList<>();
    private final List<String> partsUploaded = new CopyOnWriteArrayList<>();
    /** What each multipart upload asked for when it was created (the store's own record of it drops the headers). */
    private final Map<String, String> encryptionByUpload = new ConcurrentHashMap<>();

    WriteLog(BlobStore delegate) {
        super(delegate);
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        PutObjectResponse response = super.putBlob(request, content);
        writes.add(new CompletedWrite(
                request.bucket(),
                request.key(),
                CompletedWrite.Kind.PUT,
                0,
                serverSideEncryption(request.serverSideEncryptionAsString(), request.ssekmsKeyId())));
        return response;
    }

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        MultipartUpload upload = super.initiateMultipartUpload(request);
        String asked = serverSideEncryption(request.serverSideEncryptionAsString(), request.ssekmsKeyId());
        if (asked != null) {
            encryptionByUpload.put(upload.id(), asked);
        }
        return upload;
    }

    @Override
    public UploadPartResponse uploadMultipartPart(
            MultipartUpload upload, UploadPartRequest request, InputStream content) {
        UploadPartResponse response = super.uploadMultipartPart(upload, request, content);
        partsUploaded.add(upload.id());
        return response;
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(
            MultipartUpload upload, CompleteMultipartUploadRequest request) {
        CompleteMultipartUploadResponse response = super.completeMultipartUpload(upload, request);
        int parts = request.multipartUpload() == null
                ? 0
                : request.multipartUpload().parts().size();
        writes.add(new CompletedWrite(
                upload.containerName(),
                upload.blobName(),
                CompletedWrite.Kind.MULTIPART,
                parts,
                encryptionByUpload.remove(upload.id())));
        return response;
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        DeleteObjectResponse response = super.removeBlob(request);
        writes.add(new CompletedWrite(request.bucket(), request.key(), CompletedWrite.Kind.DELETE, 0));
        return response;
    }

    private static String serverSideEncryption(String algorithm, String kmsKeyId) {
        if (algorithm == null) {
            return null;
        }
        return kmsKeyId == null ? algorithm : algorithm + "/" + kmsKeyId;
    }

    List<CompletedWrite> writes() {
        return List.copyOf(writes);
    }

    void clear() {
        writes.clear();
        partsUploaded.clear();
        encryptionByUpload.clear();
    }
}

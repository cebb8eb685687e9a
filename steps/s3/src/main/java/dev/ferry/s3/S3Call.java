package dev.ferry.s3;

/**
 * The S3 operations Ferry sends, by the names the S3 API reference gives them, so that a failure names the
 * operation the store refused. What each one is needed for, and what Ferry does when a store lacks it, is the
 * table in this module's README.
 */
public enum S3Call {
    LIST_OBJECTS("ListObjectsV2", false),
    HEAD_OBJECT("HeadObject", false),
    GET_OBJECT("GetObject", false),
    PUT_OBJECT("PutObject", true),
    DELETE_OBJECT("DeleteObject", false),
    CREATE_MULTIPART_UPLOAD("CreateMultipartUpload", true),
    UPLOAD_PART("UploadPart", true),
    COMPLETE_MULTIPART_UPLOAD("CompleteMultipartUpload", false),
    LIST_PARTS("ListParts", false),
    LIST_MULTIPART_UPLOADS("ListMultipartUploads", false),
    ABORT_MULTIPART_UPLOAD("AbortMultipartUpload", false);

    private final String apiName;
    private final boolean writesData;

    S3Call(String apiName, boolean writesData) {
        this.apiName = apiName;
        this.writesData = writesData;
    }

    /** The operation's name in the S3 API reference, e.g. {@code CreateMultipartUpload}. */
    public String apiName() {
        return apiName;
    }

    /** Whether the request carries object bytes or the encryption headers (FERRY_S3_SSE, checksums apply to it). */
    boolean writesData() {
        return writesData;
    }

    @Override
    public String toString() {
        return apiName;
    }
}

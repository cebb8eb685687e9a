package dev.ferry.testing.s3;

import java.util.Arrays;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The S3 operation a path-style request asks for, told from its method, whether the path names the service,
 * a bucket or an object, its query parameters and a few headers, as the S3 API reference defines each
 * operation. Each request is exactly one operation: a GET of an object that carries If-Match or If-None-Match
 * is a {@link #CONDITIONAL_GET}, not a {@link #GET_OBJECT}.
 */
public enum S3Operation {
    LIST_BUCKETS,
    CREATE_BUCKET,
    HEAD_BUCKET,
    DELETE_BUCKET,
    /** GET bucket?list-type=2 */
    LIST_OBJECTS_V2,
    /** GET bucket without list-type (version 1) */
    LIST_OBJECTS,
    /** GET bucket?uploads */
    LIST_MULTIPART_UPLOADS,
    /** POST bucket?delete */
    DELETE_OBJECTS,
    /** POST object?uploads */
    CREATE_MULTIPART_UPLOAD,
    /** PUT object?partNumber&amp;uploadId */
    UPLOAD_PART,
    /** PUT object?partNumber&amp;uploadId with x-amz-copy-source */
    UPLOAD_PART_COPY,
    /** GET object?uploadId */
    LIST_PARTS,
    /** POST object?uploadId */
    COMPLETE_MULTIPART_UPLOAD,
    /** DELETE object?uploadId */
    ABORT_MULTIPART_UPLOAD,
    /** PUT object without query and without x-amz-copy-source */
    PUT_OBJECT,
    /** PUT object with x-amz-copy-source */
    COPY_OBJECT,
    /** GET object, ranged or whole, without If-Match/If-None-Match */
    GET_OBJECT,
    /** GET object with If-Match or If-None-Match */
    CONDITIONAL_GET,
    HEAD_OBJECT,
    DELETE_OBJECT,
    /** PUT object?tagging */
    PUT_OBJECT_TAGGING,
    /** GET object?tagging */
    GET_OBJECT_TAGGING,
    /** DELETE object?tagging */
    DELETE_OBJECT_TAGGING,
    /** Anything else (bucket sub-resources such as ?versioning or ?acl, object ACLs, POST uploads by form). */
    OTHER;

    /** ListObjects (v1) takes only these; any other query names a bucket sub-resource (?acl, ?versioning…). */
    private static final Set<String> LIST_PARAMETERS =
            Set.of("prefix", "delimiter", "marker", "max-keys", "encoding-type");

    /**
     * The operation of one request.
     *
     * @param method the request line's method
     * @param target the request line's target: a path-style path, optionally with {@code ?query}
     * @param hasHeader whether the request carries a header of that (lower-case) name
     */
    public static S3Operation of(String method, String target, Predicate<String> hasHeader) {
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        Set<String> query = queryNames(question < 0 ? "" : target.substring(question + 1));
        // "/" is the service, "/bucket" or "/bucket/" a bucket, anything longer an object.
        String rest = path.startsWith("/") ? path.substring(1) : path;
        int slash = rest.indexOf('/');
        boolean service = rest.isEmpty();
        boolean object = slash >= 0 && slash < rest.length() - 1;
        if (service) {
            return method.equals("GET") ? LIST_BUCKETS : OTHER;
        }
        return object ? objectOperation(method, query, hasHeader) : bucketOperation(method, query);
    }

    private static S3Operation bucketOperation(String method, Set<String> query) {
        switch (method) {
            case "GET":
                if (query.contains("uploads")) {
                    return LIST_MULTIPART_UPLOADS;
                }
                if (query.contains("list-type")) {
                    return LIST_OBJECTS_V2;
                }
                return query.stream().allMatch(S3Operation::isListParameter) ? LIST_OBJECTS : OTHER;
            case "PUT":
                return query.isEmpty() ? CREATE_BUCKET : OTHER;
            case "HEAD":
                return query.isEmpty() ? HEAD_BUCKET : OTHER;
            case "DELETE":
                return query.isEmpty() ? DELETE_BUCKET : OTHER;
            case "POST":
                return query.contains("delete") ? DELETE_OBJECTS : OTHER;
            default:
                return OTHER;
        }
    }

    private static S3Operation objectOperation(String method, Set<String> query, Predicate<String> hasHeader) {
        boolean copy = hasHeader.test("x-amz-copy-source");
        switch (method) {
            case "PUT":
                if (query.contains("partNumber") && query.contains("uploadId")) {
                    return copy ? UPLOAD_PART_COPY : UPLOAD_PART;
                }
                if (query.contains("tagging")) {
                    return PUT_OBJECT_TAGGING;
                }
                if (withoutVersion(query).isEmpty()) {
                    return copy ? COPY_OBJECT : PUT_OBJECT;
                }
                return OTHER;
            case "POST":
                if (query.contains("uploads")) {
                    return CREATE_MULTIPART_UPLOAD;
                }
                return query.contains("uploadId") ? COMPLETE_MULTIPART_UPLOAD : OTHER;
            case "GET":
                if (query.contains("uploadId")) {
                    return LIST_PARTS;
                }
                if (query.contains("tagging")) {
                    return GET_OBJECT_TAGGING;
                }
                if (!query.stream().allMatch(S3Operation::isGetObjectParameter)) {
                    return OTHER;
                }
                return hasHeader.test("if-match") || hasHeader.test("if-none-match") ? CONDITIONAL_GET : GET_OBJECT;
            case "HEAD":
                return query.stream().allMatch(S3Operation::isGetObjectParameter) ? HEAD_OBJECT : OTHER;
            case "DELETE":
                if (query.contains("uploadId")) {
                    return ABORT_MULTIPART_UPLOAD;
                }
                if (query.contains("tagging")) {
                    return DELETE_OBJECT_TAGGING;
                }
                return withoutVersion(query).isEmpty() ? DELETE_OBJECT : OTHER;
            default:
                return OTHER;
        }
    }

    private static boolean isListParameter(String name) {
        return LIST_PARAMETERS.contains(name);
    }

    /** GetObject/HeadObject take these (versionId, partNumber, response-* overrides). */
    private static boolean isGetObjectParameter(String name) {
        return name.equals("versionId") || name.equals("partNumber") || name.startsWith("response-");
    }

    private static Set<String> withoutVersion(Set<String> query) {
        return query.stream().filter(n -> !n.equals("versionId")).collect(Collectors.toUnmodifiableSet());
    }

    private static Set<String> queryNames(String query) {
        if (query.isEmpty()) {
            return Set.of();
        }
        // The AWS SDK adds x-id=<Operation> to some requests; other clients do not, so it decides nothing.
        return Arrays.stream(query.split("&"))
                .filter(part -> !part.isEmpty())
                .map(part -> {
                    int equals = part.indexOf('=');
                    return equals < 0 ? part : part.substring(0, equals);
                })
                .filter(name -> !name.equals("x-id"))
                .collect(Collectors.toUnmodifiableSet());
    }
}

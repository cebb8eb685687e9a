package dev.ferry.testing.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class S3OperationTest {

    @ParameterizedTest(name = "{0} {1} [{2}] is {3}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "GET    | /                                          | -                  | LIST_BUCKETS",
                "PUT    | /bkt                                       | -                  | CREATE_BUCKET",
                "HEAD   | /bkt                                       | -                  | HEAD_BUCKET",
                "DELETE | /bkt/                                      | -                  | DELETE_BUCKET",
                "GET    | /bkt?list-type=2&prefix=a%2F               | -                  | LIST_OBJECTS_V2",
                "GET    | /bkt/?list-type=2                          | -                  | LIST_OBJECTS_V2",
                "GET    | /bkt?prefix=a&max-keys=10                  | -                  | LIST_OBJECTS",
                "GET    | /bkt?versioning                            | -                  | OTHER",
                "GET    | /bkt?uploads                               | -                  | LIST_MULTIPART_UPLOADS",
                "GET    | /bkt?uploads=&prefix=x                     | -                  | LIST_MULTIPART_UPLOADS",
                "POST   | /bkt?delete                                | -                  | DELETE_OBJECTS",
                "POST   | /bkt/a/b.dump?uploads                      | -                  | CREATE_MULTIPART_UPLOAD",
                "PUT    | /bkt/a/b.dump?partNumber=2&uploadId=x      | -                  | UPLOAD_PART",
                "PUT    | /bkt/a/b.dump?x-id=UploadPart&partNumber=2&uploadId=x | -       | UPLOAD_PART",
                "PUT    | /bkt/a/b.dump?partNumber=2&uploadId=x      | x-amz-copy-source  | UPLOAD_PART_COPY",
                "GET    | /bkt/a/b.dump?uploadId=x                   | -                  | LIST_PARTS",
                "POST   | /bkt/a/b.dump?uploadId=x                   | -                  | COMPLETE_MULTIPART_UPLOAD",
                "DELETE | /bkt/a/b.dump?uploadId=x                   | -                  | ABORT_MULTIPART_UPLOAD",
                "PUT    | /bkt/a/b.dump                              | -                  | PUT_OBJECT",
                "PUT    | /bkt/a/b.dump?x-id=PutObject               | -                  | PUT_OBJECT",
                "PUT    | /bkt/a/b.dump                              | x-amz-copy-source  | COPY_OBJECT",
                "GET    | /bkt/a/b.dump                              | range              | GET_OBJECT",
                "GET    | /bkt/a/b.dump?x-id=GetObject               | -                  | GET_OBJECT",
                "GET    | /bkt/a/b.dump                              | if-match           | CONDITIONAL_GET",
                "GET    | /bkt/a/b.dump                              | if-none-match      | CONDITIONAL_GET",
                "HEAD   | /bkt/a/b.dump                              | if-match           | HEAD_OBJECT",
                "DELETE | /bkt/a/b.dump                              | -                  | DELETE_OBJECT",
                "PUT    | /bkt/a/b.dump?tagging                      | -                  | PUT_OBJECT_TAGGING",
                "GET    | /bkt/a/b.dump?tagging                      | -                  | GET_OBJECT_TAGGING",
                "DELETE | /bkt/a/b.dump?tagging                      | -                  | DELETE_OBJECT_TAGGING",
                "GET    | /bkt/a/b.dump?acl                          | -                  | OTHER",
                "PATCH  | /bkt/a/b.dump                              | -                  | OTHER",
            })
    void classifiesFromMethodPathQueryAndHeaders(String method, String target, String header, S3Operation expected) {
        Set<String> headers = header == null ? Set.of() : Set.of(header);
        assertThat(S3Operation.of(method, target, headers::contains)).isEqualTo(expected);
    }
}

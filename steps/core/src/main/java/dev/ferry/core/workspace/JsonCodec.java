package dev.ferry.core.workspace;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ferry.core.StepFailure;
import java.io.IOException;

/**
 * The one JSON form of every file Ferry writes (manifest, freeze record, reports): ISO-8601 instants,
 * indented, nulls left out, unknown fields ignored on read so an older step can read a newer file.
 */
public final class JsonCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .defaultPropertyInclusion(
                    JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .build();

    private JsonCodec() {}

    /** The mapper itself, for readers that walk a tree (reports, tests) rather than bind a type. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] toBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * Decodes {@code json} as {@code type}; anything unreadable is a verification failure whose one-line
     * message names {@code where} it came from and what is wrong, without Jackson's source excerpt.
     */
    public static <T> T fromBytes(byte[] json, Class<T> type, String where) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw StepFailure.verificationFailed(where + " is not a valid " + type.getSimpleName() + ": " + reason(e));
        }
    }

    static String reason(IOException e) {
        String message = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
        String text = message == null ? e.getClass().getSimpleName() : message;
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}

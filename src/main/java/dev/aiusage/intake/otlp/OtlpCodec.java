package dev.aiusage.intake.otlp;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.JsonTree;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * OTLP/HTTP's two encodings of a trace export (the specification's "OTLP/HTTP" section): binary protobuf, and
 * protobuf's JSON mapping with OTLP's exceptions (trace and span ids as hex, not base64; enums as integers; keys in
 * lowerCamelCase or as in the .proto). The JSON is read first through {@link JsonTree} (nesting at most 64, so no
 * body can exhaust the stack), its ids turned into protobuf's base64, then merged by protobuf's {@link JsonFormat}.
 */
public final class OtlpCodec {
    public static final String PROTOBUF = "application/x-protobuf";
    public static final String JSON = "application/json";
    private static final List<String> ID_FIELDS = List.of("traceId", "trace_id", "spanId", "span_id", "parentSpanId", "parent_span_id");

    private OtlpCodec() {
    }

    public static ExportTraceServiceRequest decode(byte[] body, boolean json) {
        try {
            if (!json) {
                return ExportTraceServiceRequest.parseFrom(body);
            }
            Object tree = JsonTree.read(new ByteArrayInputStream(body));
            if (!(tree instanceof Map<?, ?>)) {
                throw new BadInputException("body", "an OTLP JSON export is an object with resourceSpans");
            }
            hexIdsToBase64(tree);
            ByteArrayOutputStream text = new ByteArrayOutputStream(body.length);
            JsonTree.write(tree, text);
            ExportTraceServiceRequest.Builder builder = ExportTraceServiceRequest.newBuilder();
            JsonFormat.parser().ignoringUnknownFields().merge(text.toString(StandardCharsets.UTF_8), builder);
            return builder.build();
        } catch (InvalidProtocolBufferException e) {
            throw new BadInputException("body", "the body is not an OTLP ExportTraceServiceRequest in " + (json ? "JSON" : "protobuf"));
        } catch (IOException e) {
            throw new BadInputException("body", "the body is not well-formed JSON");
        } catch (IllegalArgumentException e) {
            // JsonFormat's refusals of a value of the wrong type
            throw new BadInputException("body", "the body is not an OTLP ExportTraceServiceRequest in JSON");
        }
    }

    @SuppressWarnings("unchecked")
    private static void hexIdsToBase64(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> object = (Map<String, Object>) map;
            for (Map.Entry<String, Object> entry : object.entrySet()) {
                if (ID_FIELDS.contains(entry.getKey()) && entry.getValue() instanceof String hex) {
                    try {
                        entry.setValue(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex)));
                    } catch (IllegalArgumentException e) {
                        throw new BadInputException("body", entry.getKey() + " must be hex-encoded, as OTLP/JSON writes ids");
                    }
                } else {
                    hexIdsToBase64(entry.getValue());
                }
            }
        } else if (node instanceof List<?> list) {
            list.forEach(OtlpCodec::hexIdsToBase64);
        }
    }

    /** The answer: empty when every span was taken, else a partial success with the count and reason of the rejected. */
    public static byte[] response(long rejected, String message, boolean json) {
        ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
        if (rejected > 0 || !message.isEmpty()) {
            response.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(rejected).setErrorMessage(message));
        }
        if (!json) {
            return response.build().toByteArray();
        }
        try {
            return JsonFormat.printer().omittingInsignificantWhitespace().print(response).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A refusal of the whole export as OTLP answers it: a {@code google.rpc.Status} (code 3 INVALID_ARGUMENT, 16
     * UNAUTHENTICATED, 7 PERMISSION_DENIED, 8 RESOURCE_EXHAUSTED ...) in the request's encoding. The message has two
     * fields (1: code, 2: message), written here directly, since no OTLP artifact ships the google.rpc classes.
     */
    public static byte[] status(int code, String message, boolean json) {
        if (json) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                JsonTree.write(Map.of("code", code, "message", message), out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            CodedOutputStream coded = CodedOutputStream.newInstance(out);
            coded.writeInt32(1, code);
            coded.writeString(2, message);
            coded.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}

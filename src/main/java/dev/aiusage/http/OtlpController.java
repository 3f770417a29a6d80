package dev.aiusage.http;

import dev.aiusage.access.AccessFilter;
import dev.aiusage.access.ForbiddenException;
import dev.aiusage.domain.BadInputException;
import dev.aiusage.intake.IntakeGate;
import dev.aiusage.intake.otlp.OtlpCodec;
import dev.aiusage.intake.otlp.OtlpReceiver;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.Locale;

/**
 * The OTLP/HTTP traces receiver: point an OpenTelemetry SDK's or Collector's OTLP/HTTP exporter at
 * {@code http://host:8080} (it posts to {@code /v1/traces}) with {@code Authorization: Bearer <INGEST key>}. Both
 * encodings, gzip or not. Answers as OTLP says: 200 with an empty response when every span was taken, a partial
 * success with the count and reasons of rejected spans otherwise; a body that is not an export is 400, a refused key
 * 401/403, a full intake 429 with Retry-After, each with a {@code google.rpc.Status} in the request's encoding.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
class OtlpController {
    private final OtlpReceiver receiver;
    private final IntakeGate gate;

    OtlpController(OtlpReceiver receiver, IntakeGate gate) {
        this.receiver = receiver;
        this.gate = gate;
    }

    @Post(value = "/v1/traces", consumes = MediaType.ALL, produces = {OtlpCodec.PROTOBUF, OtlpCodec.JSON})
    HttpResponse<byte[]> traces(HttpRequest<?> request, @Nullable @Body byte[] body) {
        String type = request.getContentType().map(MediaType::getName).orElse("").toLowerCase(Locale.ROOT);
        boolean json = type.equals(OtlpCodec.JSON);
        if (!json && !type.equals(OtlpCodec.PROTOBUF)) {
            return status(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 3, "send application/x-protobuf or application/json", false);
        }
        try {
            AccessFilter.of(request).requireWrite();
        } catch (ForbiddenException e) {
            return status(HttpStatus.FORBIDDEN, 7, e.getMessage(), json);
        }
        try (IntakeGate.Permit permit = gate.tryEnter()) {
            if (permit == null) {
                return status(HttpStatus.TOO_MANY_REQUESTS, 8, "the intake is at its limit of concurrent deliveries; retry", json)
                        .header(HttpHeaders.RETRY_AFTER, "1");
            }
            OtlpReceiver.Received received = receiver.receive(Bodies.inflated(request, body == null ? new byte[0] : body), json);
            return HttpResponse.ok(OtlpCodec.response(received.result().rejected().size(), received.message(), json))
                    .contentType(json ? OtlpCodec.JSON : OtlpCodec.PROTOBUF);
        } catch (BadInputException e) {
            return status(HttpStatus.BAD_REQUEST, 3, e.getMessage(), json);
        } catch (Bodies.TooLarge e) {
            return status(HttpStatus.REQUEST_ENTITY_TOO_LARGE, 8, "the inflated body is larger than this service accepts", json);
        }
    }

    private static io.micronaut.http.MutableHttpResponse<byte[]> status(HttpStatus status, int code, String message, boolean json) {
        return HttpResponse.<byte[]>status(status).body(OtlpCodec.status(code, message, json)).contentType(json ? OtlpCodec.JSON : OtlpCodec.PROTOBUF);
    }
}

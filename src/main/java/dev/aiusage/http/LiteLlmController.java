package dev.aiusage.http;

import dev.aiusage.access.AccessFilter;
import dev.aiusage.domain.ErrorCode;
import dev.aiusage.intake.IntakeGate;
import dev.aiusage.intake.IntakeResult;
import dev.aiusage.intake.IntakeService;
import dev.aiusage.intake.litellm.LiteLlmMapper;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * The LiteLLM proxy's generic HTTP logging callback points here ({@code callback_type: generic_api}, {@code endpoint:
 * http://host:8080/ingest/litellm}, {@code Authorization: Bearer <INGEST key>}): each call's StandardLoggingPayload,
 * as a JSON array, NDJSON or one object. Answers what it did with each, by position.
 */
@Controller("/ingest")
@ExecuteOn(TaskExecutors.BLOCKING)
class LiteLlmController {
    private final LiteLlmMapper mapper;
    private final IntakeService intake;
    private final IntakeGate gate;

    LiteLlmController(LiteLlmMapper mapper, IntakeService intake, IntakeGate gate) {
        this.mapper = mapper;
        this.intake = intake;
        this.gate = gate;
    }

    @Post(value = "/litellm", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> litellm(HttpRequest<?> request, @Nullable @Body byte[] body) {
        AccessFilter.of(request).requireWrite();
        try (IntakeGate.Permit permit = gate.tryEnter()) {
            if (permit == null) {
                return Refusals.respond(request, ErrorCode.TOO_MANY_REQUESTS, null, "The intake is at its limit of concurrent deliveries; retry in a second.")
                        .header(HttpHeaders.RETRY_AFTER, "1");
            }
            IntakeResult result = intake.take(mapper.map(Bodies.inflated(request, body == null ? new byte[0] : body)), 0, mapper::fieldOf);
            return HttpResponse.ok(result);
        } catch (Bodies.TooLarge e) {
            return Refusals.respond(request, ErrorCode.PAYLOAD_TOO_LARGE, null, "The inflated body is larger than this service accepts.");
        }
    }
}

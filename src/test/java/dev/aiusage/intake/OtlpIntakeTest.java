package dev.aiusage.intake;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spans built as GenAI instrumentations build them, with the real OpenTelemetry SDK, exported by its OTLP/HTTP
 * exporter (protobuf) to the running service, and the same spans in OTLP/JSON through the exporter's own marshaler.
 * Expected costs worked out from the shipped catalog's list prices (USD per million tokens).
 */
@MicronautTest(transactional = false)
class OtlpIntakeTest {
    private static final String RECORDS = """
            query R($teams: [String!]) { usageRecords(filter: {teams: $teams}, first: 50) { totalCount edges { node {
              ts provider model team user taskType workflow inputTokens outputTokens cacheReadTokens cacheWriteTokens reasoningTokens
              costUsd costSource latencyMs qualityScore requestId sessionId } } } }""";
    private static final String FAILED = """
            query F($team: String) { failedCalls(from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z", team: $team) {
              source provider model team errorType calls firstSeen lastSeen } }""";
    private static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");

    @Inject
    @Client("/")
    HttpClient client;
    @Inject
    EmbeddedServer server;
    GraphQL graphql;
    SdkTracerProvider tracing;
    Collected collected;

    /** Keeps what the SDK ends, so the same spans can be exported twice and marshaled by hand. */
    static final class Collected implements SpanExporter {
        final List<SpanData> spans = new CopyOnWriteArrayList<>();

        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans.addAll(batch);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    @BeforeEach
    void setUp() {
        graphql = new GraphQL(client);
        collected = new Collected();
        tracing = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), "refund-bot", AttributeKey.stringKey("service.namespace"), "otel-payments"))))
                .addSpanProcessor(SimpleSpanProcessor.create(collected)).build();
    }

    @AfterEach
    void tearDown() {
        tracing.shutdown().join(5, TimeUnit.SECONDS);
    }

    private Tracer tracer() {
        return tracing.get("io.opentelemetry.openai-java", "2.0.0");
    }

    /** A chat span as the OpenAI and Anthropic instrumentations write one: CLIENT, "chat {model}", usage on the span. */
    private SpanBuilder chat(String model, Instant start) {
        return tracer().spanBuilder("chat " + model).setSpanKind(SpanKind.CLIENT).setStartTimestamp(start)
                .setAttribute("gen_ai.operation.name", "chat").setAttribute("gen_ai.request.model", model);
    }

    private void end(Span span, Instant end) {
        span.end(end);
    }

    private void export(List<SpanData> spans) {
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(server.getURL() + "/v1/traces").build();
        try {
            CompletableResultCode result = exporter.export(spans).join(20, TimeUnit.SECONDS);
            assertTrue(result.isSuccess(), "the exporter's export failed");
        } finally {
            exporter.shutdown().join(5, TimeUnit.SECONDS);
        }
    }

    private List<Map<String, Object>> records(String... teams) {
        Map<String, Object> data = graphql.inlineData(RECORDS, Map.of("teams", List.of(teams)));
        return Json.nodes(data, "usageRecords.edges");
    }

    private static Map<String, Object> byModel(List<Map<String, Object>> records, String model) {
        return records.stream().filter(r -> r.get("model").equals(model)).findFirst().orElseThrow();
    }

    @Test
    void genAiSpansExportedTwiceAreStoredOncePricedFromTheCatalog() {
        Span agent = tracer().spanBuilder("invoke_agent refund-agent").setStartTimestamp(T0)
                .setAttribute("gen_ai.operation.name", "invoke_agent").setAttribute("gen_ai.agent.name", "refund-agent")
                .setAttribute("gen_ai.provider.name", "openai").setAttribute("gen_ai.request.model", "gpt-4o")
                .setAttribute("gen_ai.usage.input_tokens", 1000L).setAttribute("gen_ai.usage.output_tokens", 200L).startSpan();
        Context inAgent = Context.root().with(agent);
        // current names: 1,000 input of which 400 cached, 200 output: 600 × 2.50 + 400 × 1.25 + 200 × 10 = $0.004 per million
        Span openai = chat("gpt-4o", T0.plusMillis(100)).setParent(inAgent)
                .setAttribute("gen_ai.provider.name", "openai").setAttribute("gen_ai.response.model", "gpt-4o-2024-08-06")
                .setAttribute("gen_ai.response.id", "chatcmpl-otel-1").setAttribute("gen_ai.agent.name", "refund-agent")
                .setAttribute("gen_ai.conversation.id", "conv-1").setAttribute("user.id", "ana")
                .setAttribute("gen_ai.usage.input_tokens", 1000L).setAttribute("gen_ai.usage.cache_read.input_tokens", 400L)
                .setAttribute("gen_ai.usage.output_tokens", 200L).startSpan();
        end(openai, T0.plusMillis(1600));
        end(agent, T0.plusMillis(2000));
        // older names (gen_ai.system, prompt/completion tokens), team and task type of our own on the span:
        // 1,000 uncached × 3 + 1,000 cache writes × 3.75 + 100 output × 15 = $0.00825
        Span anthropic = chat("claude-sonnet-4-5", T0.plusSeconds(5)).setAttribute("gen_ai.system", "anthropic")
                .setAttribute("aiusage.team", "otel-research").setAttribute("aiusage.task_type", "summarize")
                .setAttribute("aiusage.workflow", "lit-review").setAttribute("enduser.id", "bo")
                .setAttribute("gen_ai.usage.prompt_tokens", 2000L).setAttribute("gen_ai.usage.cache_creation_input_tokens", 1000L)
                .setAttribute("gen_ai.usage.completion_tokens", 100L).startSpan();
        end(anthropic, T0.plusMillis(5250));
        Span http = tracer().spanBuilder("GET /refunds").setSpanKind(SpanKind.SERVER).setStartTimestamp(T0)
                .setAttribute("http.request.method", "GET").startSpan();
        end(http, T0.plusMillis(10));
        Span failed = chat("gpt-4o", T0.plusSeconds(9)).setAttribute("gen_ai.provider.name", "openai")
                .setAttribute("error.type", "rate_limit_exceeded").startSpan();
        failed.setStatus(StatusCode.ERROR);
        end(failed, T0.plusMillis(9300));
        List<SpanData> spans = List.copyOf(collected.spans);
        assertEquals(5, spans.size());

        export(spans);
        List<Map<String, Object>> stored = records("otel-payments", "otel-research");
        assertEquals(2, stored.size(), "the two chat spans; the agent's and the HTTP span are not model calls, the failure is kept apart");
        Map<String, Object> gpt = byModel(stored, "gpt-4o-2024-08-06");
        assertEquals("openai", gpt.get("provider"));
        assertEquals("otel-payments", gpt.get("team"), "service.namespace of the resource");
        assertEquals("ana", gpt.get("user"));
        assertEquals("chat", gpt.get("taskType"));
        assertEquals("refund-agent", gpt.get("workflow"));
        assertEquals(1000, gpt.get("inputTokens"));
        assertEquals(400, gpt.get("cacheReadTokens"));
        assertEquals(200, gpt.get("outputTokens"));
        assertEquals(0.004, Json.number(gpt, "costUsd"), 1e-12);
        assertEquals("CATALOG", gpt.get("costSource"));
        assertEquals(1500, gpt.get("latencyMs"));
        assertEquals("chatcmpl-otel-1", gpt.get("requestId"));
        assertEquals("conv-1", gpt.get("sessionId"));
        assertEquals("2026-11-20T09:00:00.100Z", gpt.get("ts"));
        Map<String, Object> claude = byModel(stored, "claude-sonnet-4-5");
        assertEquals("anthropic", claude.get("provider"));
        assertEquals("otel-research", claude.get("team"));
        assertEquals("bo", claude.get("user"));
        assertEquals("summarize", claude.get("taskType"));
        assertEquals("lit-review", claude.get("workflow"));
        assertEquals(1000, claude.get("cacheWriteTokens"));
        assertEquals(0.00825, Json.number(claude, "costUsd"), 1e-12);
        assertEquals(250, claude.get("latencyMs"));
        SpanData claudeSpan = spans.stream().filter(s -> s.getName().equals("chat claude-sonnet-4-5")).findFirst().orElseThrow();
        assertEquals(claudeSpan.getTraceId() + "-" + claudeSpan.getSpanId(), claude.get("requestId"), "trace id and span id, without a response id");

        export(spans);
        assertEquals(2, records("otel-payments", "otel-research").size(), "the same spans again: nothing stored twice");

        List<?> failures = Json.list(graphql.inlineData(FAILED, Map.of("team", "otel-payments")), "failedCalls");
        assertEquals(1, failures.size());
        Map<String, Object> failure = (Map<String, Object>) failures.get(0);
        assertEquals(Map.of("source", "otlp", "provider", "openai", "model", "gpt-4o", "team", "otel-payments", "errorType", "rate_limit_exceeded",
                "calls", 1, "firstSeen", "2026-11-20T09:00:09.000Z", "lastSeen", "2026-11-20T09:00:09.000Z"), failure, "once, though exported twice");
    }

    private static byte[] marshal(List<SpanData> spans, boolean json) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TraceRequestMarshaler marshaler = TraceRequestMarshaler.create(spans);
        if (json) {
            marshaler.writeJsonTo(out);
        } else {
            marshaler.writeBinaryTo(out);
        }
        return out.toByteArray();
    }

    private HttpResponse<byte[]> post(byte[] body, String type, boolean gzip) throws Exception {
        byte[] sent = body;
        if (gzip) {
            ByteArrayOutputStream zipped = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
                out.write(body);
            }
            sent = zipped.toByteArray();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.getURL() + "/v1/traces")).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(sent));
        if (gzip) {
            request.header("Content-Encoding", "gzip");
        }
        return java.net.http.HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theJsonEncodingGzippedIsTakenToo() throws Exception {
        // 10,000 × 0.15 + 1,000 × 0.60 per million = $0.0021
        Span span = chat("gpt-4o-mini", T0.plusSeconds(60)).setAttribute("gen_ai.provider.name", "openai")
                .setAttribute("aiusage.team", "otel-json").setAttribute("gen_ai.response.id", "chatcmpl-json-1")
                .setAttribute("gen_ai.usage.input_tokens", 10_000L).setAttribute("gen_ai.usage.output_tokens", 1000L).startSpan();
        end(span, T0.plusMillis(60_800));
        byte[] json = marshal(List.copyOf(collected.spans), true);
        assertTrue(new String(json).contains("\"traceId\":\"" + collected.spans.get(0).getTraceId() + "\""), "the SDK writes hex ids");

        HttpResponse<byte[]> response = post(json, "application/json", true);
        assertEquals(200, response.statusCode());
        assertEquals("{}", new String(response.body()), "every span taken: no partial success");
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        Map<String, Object> record = records("otel-json").get(0);
        assertEquals(0.0021, Json.number(record, "costUsd"), 1e-12);
        assertEquals(800, record.get("latencyMs"));
        assertEquals(200, post(json, "application/json", false).statusCode());
        assertEquals(1, records("otel-json").size(), "the same span in the other encoding is the same call");
    }

    @Test
    void badSpansAreRejectedInOtlpsPartialSuccessFormWithNothingStoredForThem() throws Exception {
        Span noModel = tracer().spanBuilder("chat").setSpanKind(SpanKind.CLIENT).setStartTimestamp(T0)
                .setAttribute("gen_ai.operation.name", "chat").setAttribute("gen_ai.provider.name", "openai")
                .setAttribute("aiusage.team", "otel-bad").setAttribute("gen_ai.usage.input_tokens", 10L).startSpan();
        end(noModel, T0.plusMillis(5));
        Span negative = chat("gpt-4o", T0.plusSeconds(1)).setAttribute("gen_ai.provider.name", "openai")
                .setAttribute("aiusage.team", "otel-bad").setAttribute("gen_ai.usage.input_tokens", -5L)
                .setAttribute("gen_ai.usage.output_tokens", 3L).startSpan();
        end(negative, T0.plusMillis(1005));
        Span cacheOverInput = chat("gpt-4o", T0.plusSeconds(2)).setAttribute("gen_ai.provider.name", "openai")
                .setAttribute("aiusage.team", "otel-bad").setAttribute("gen_ai.usage.input_tokens", 5L)
                .setAttribute("gen_ai.usage.cache_read.input_tokens", 6L).startSpan();
        end(cacheOverInput, T0.plusMillis(2005));
        Span good = chat("gpt-4o", T0.plusSeconds(3)).setAttribute("gen_ai.provider.name", "openai")
                .setAttribute("aiusage.team", "otel-bad").setAttribute("gen_ai.usage.input_tokens", 100L)
                .setAttribute("gen_ai.usage.output_tokens", 10L).startSpan();
        end(good, T0.plusMillis(3005));
        for (boolean json : List.of(false, true)) {
            HttpResponse<byte[]> response = post(marshal(List.copyOf(collected.spans), json), json ? "application/json" : "application/x-protobuf", false);
            assertEquals(200, response.statusCode(), "a partial success is still 200");
            ExportTraceServiceResponse answer;
            if (json) {
                ExportTraceServiceResponse.Builder builder = ExportTraceServiceResponse.newBuilder();
                com.google.protobuf.util.JsonFormat.parser().merge(new String(response.body()), builder);
                answer = builder.build();
            } else {
                answer = ExportTraceServiceResponse.parseFrom(response.body());
            }
            assertEquals(3, answer.getPartialSuccess().getRejectedSpans());
            String message = answer.getPartialSuccess().getErrorMessage();
            assertTrue(message.startsWith("3 spans rejected: "), message);
            assertTrue(message.contains("gen_ai.response.model (or gen_ai.request.model, llm.model_name) is required (1)"), message);
            assertTrue(message.contains("gen_ai.usage.input_tokens must not be negative (1)"), message);
            assertTrue(message.contains("cacheReadTokens must not exceed inputTokens, of which it is part (1)"), message);
        }
        List<Map<String, Object>> stored = records("otel-bad");
        assertEquals(1, stored.size(), "only the good span");
        assertEquals(100, stored.get(0).get("inputTokens"));
    }

    @Test
    void aBodyThatIsNotAnExportIsRefusedWholeWithAStatus() throws Exception {
        HttpResponse<byte[]> garbage = post("{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": \"zz\"}]}]}]}".getBytes(),
                "application/json", false);
        assertEquals(400, garbage.statusCode());
        Map<String, Object> status = Json.parse(new String(garbage.body()));
        assertEquals(3, ((Number) status.get("code")).intValue());
        assertEquals("traceId must be hex-encoded, as OTLP/JSON writes ids", status.get("message"));
        HttpResponse<byte[]> notProtobuf = post(new byte[] {(byte) 0xff, 0x01, 0x02}, "application/x-protobuf", false);
        assertEquals(400, notProtobuf.statusCode());
        assertEquals(415, post("x".getBytes(), "text/plain", false).statusCode());
        HttpResponse<byte[]> deep = post(("{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}").getBytes(), "application/json", false);
        assertEquals(400, deep.statusCode(), "nesting past 64 is refused, not a stack overflow");
        HttpResponse<byte[]> notGzip = post("not gzip".getBytes(), "application/json", false);
        assertEquals(400, notGzip.statusCode());
        assertFalse(new String(notGzip.body()).contains("Exception"));
        assertNull(Json.parse(new String(notGzip.body())).get("stack"));
    }
}

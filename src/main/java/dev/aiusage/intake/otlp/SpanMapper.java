package dev.aiusage.intake.otlp;

import dev.aiusage.ingest.UsageInput;
import dev.aiusage.intake.Candidate;
import dev.aiusage.intake.FailedCall;
import dev.aiusage.intake.ItemRefusal;
import io.micronaut.context.annotation.Value;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the spans of an OTLP export into candidates: a span of a model-call operation (chat, embeddings, ...)
 * becomes a call, or a failure when its status is ERROR or it has an {@code error.type}; every other span is
 * ignored. Attributes are looked up on the span, then on its resource, by the names {@link SpanAttributes} lists.
 * The request id is {@code gen_ai.response.id}, else the span's trace and span id, so an exporter's retry of the same
 * spans is a duplicate. Latency is the span's duration; the time of the call its start.
 */
@Singleton
public class SpanMapper {
    /** The conventions' provider names that the price catalog knows under another id. */
    private static final Map<String, String> PROVIDERS = Map.of(
            "gcp.gen_ai", "google", "gcp.vertex_ai", "google", "gcp.gemini", "google",
            "aws.bedrock", "aws", "azure.ai.openai", "azure", "azure.ai.inference", "azure",
            "mistral_ai", "mistral", "x_ai", "x-ai", "ibm.watsonx.ai", "ibm");
    private static final String EVALUATION_EVENT = "gen_ai.evaluation.result";

    private final SpanAttributes names;
    private final String defaultTeam;

    SpanMapper(SpanAttributes names, @Value("${aiusage.intake.default-team:}") String defaultTeam) {
        this.names = names;
        this.defaultTeam = defaultTeam == null ? "" : defaultTeam.strip();
    }

    /** The export's model-call spans as candidates, in order, and how many other spans it held. */
    public Mapped map(ExportTraceServiceRequest request) {
        List<Candidate> items = new ArrayList<>();
        int ignored = 0;
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            Map<String, AnyValue> resource = attributes(resourceSpans.getResource().getAttributesList());
            for (ScopeSpans scope : resourceSpans.getScopeSpansList()) {
                for (Span span : scope.getSpansList()) {
                    Attributes attributes = new Attributes(attributes(span.getAttributesList()), resource);
                    Candidate item = candidate(span, attributes);
                    if (item == null) {
                        ignored++;
                    } else {
                        items.add(item);
                    }
                }
            }
        }
        return new Mapped(items, ignored);
    }

    /** An export's candidates, and the spans that were not model calls. */
    public record Mapped(List<Candidate> items, int ignored) {
    }

    private Candidate candidate(Span span, Attributes a) {
        String operation = a.string(names.getOperation());
        String provider = a.string(names.getProvider());
        String model = a.string(names.getModel());
        boolean call = operation != null ? names.getCallOperations().contains(operation.toLowerCase(Locale.ROOT))
                : provider != null && model != null && a.has(names.getInputTokens());
        if (!call) {
            return null;
        }
        String requestId = a.string(names.getRequestId());
        if (requestId == null) {
            HexFormat hex = HexFormat.of();
            requestId = hex.formatHex(span.getTraceId().toByteArray()) + "-" + hex.formatHex(span.getSpanId().toByteArray());
        }
        try {
            return map(span, a, operation, provider, model, requestId);
        } catch (ItemRefusal r) {
            return r.refused(requestId);
        }
    }

    private Candidate map(Span span, Attributes a, String operation, String provider, String model, String requestId) {
        if (span.getStartTimeUnixNano() == 0) {
            throw new ItemRefusal("startTimeUnixNano", "the span has no start time");
        }
        Instant start = Instant.ofEpochSecond(0, span.getStartTimeUnixNano());
        Integer latency = span.getEndTimeUnixNano() >= span.getStartTimeUnixNano() && span.getEndTimeUnixNano() != 0
                ? (int) Math.min(Integer.MAX_VALUE, (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1_000_000) : null;
        String team = a.string(names.getTeam());
        if (team == null) {
            if (defaultTeam.isEmpty()) {
                throw new ItemRefusal(names.getTeam().isEmpty() ? "team" : names.getTeam().get(0),
                        "the span names no team: set " + String.join(" or ", names.getTeam()) + " on the span or its resource, or aiusage.intake.default-team");
            }
            team = defaultTeam;
        }
        String taskType = a.string(names.getTaskType());
        if (taskType == null) {
            taskType = operation != null ? operation : "chat";
        }
        String normalized = provider == null ? null : PROVIDERS.getOrDefault(provider.toLowerCase(Locale.ROOT), provider.toLowerCase(Locale.ROOT));
        String user = a.string(names.getUser());
        String workflow = a.string(names.getWorkflow());
        String errorType = a.string(names.getErrorType());
        if (span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR || errorType != null) {
            return new Candidate.Failure(new FailedCall(null, start, "otlp", normalized == null ? "unknown" : normalized, model, team, user,
                    workflow, taskType, requestId, errorType == null ? "error" : errorType, latency));
        }
        if (provider == null) {
            throw new ItemRefusal(first(names.getProvider()), first(names.getProvider()) + " is required");
        }
        if (model == null) {
            List<String> others = names.getModel().size() > 1 ? names.getModel().subList(1, names.getModel().size()) : List.of();
            throw new ItemRefusal(first(names.getModel()), first(names.getModel()) + (others.isEmpty() ? "" : " (or " + String.join(", ", others) + ")")
                    + " is required");
        }
        Double quality = a.number(names.getQuality());
        if (quality == null) {
            quality = evaluationScore(span);
        }
        if (quality != null && (quality < 0 || quality > 1)) {
            // evaluators score on scales of their own (1 to 5, ...); only a score from 0 to 1 is a quality score here
            quality = null;
        }
        String template = a.string(names.getPromptTemplate());
        String version = template == null ? null : a.string(names.getPromptVersion());
        return new Candidate.Call(new UsageInput(OffsetDateTime.ofInstant(start, ZoneOffset.UTC), normalized, model, team, user, taskType,
                workflow, a.tokens(names.getInputTokens()), a.tokens(names.getOutputTokens()), a.number(names.getCost()), latency, quality,
                a.bool(names.getPassedQuality()), requestId, a.string(names.getSession()), template,
                template == null ? null : version == null ? "unversioned" : version, null,
                a.tokens(names.getCacheReadTokens()), a.tokens(names.getCacheWriteTokens()), null, a.tokens(names.getReasoningTokens()),
                tier(a.string(names.getServiceTier()))));
    }

    /** The attribute that fills a record's field, as ingest's refusals name it ({@code inputTokens}). */
    public String attributeOf(String field) {
        List<String> keys = switch (field) {
            case "provider" -> names.getProvider();
            case "model" -> names.getModel();
            case "inputTokens" -> names.getInputTokens();
            case "outputTokens" -> names.getOutputTokens();
            case "cacheReadTokens" -> names.getCacheReadTokens();
            case "cacheWriteTokens" -> names.getCacheWriteTokens();
            case "reasoningTokens" -> names.getReasoningTokens();
            case "taskType" -> names.getTaskType();
            case "workflow" -> names.getWorkflow();
            case "team" -> names.getTeam();
            case "user" -> names.getUser();
            case "sessionId" -> names.getSession();
            case "requestId" -> names.getRequestId();
            case "costUsd" -> names.getCost();
            case "qualityScore" -> names.getQuality();
            case "promptTemplate.name" -> names.getPromptTemplate();
            case "promptTemplate.version" -> names.getPromptVersion();
            case "ts" -> List.of("startTimeUnixNano");
            default -> List.of(field);
        };
        return first(keys);
    }

    /** OpenAI's service tiers as its API names them; anything else (scale, auto) is priced as standard. */
    private static String tier(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "flex" -> "FLEX";
            case "priority" -> "PRIORITY";
            case "batch" -> "BATCH";
            default -> null;
        };
    }

    private Double evaluationScore(Span span) {
        for (Span.Event event : span.getEventsList()) {
            if (event.getName().equals(EVALUATION_EVENT)) {
                Double score = new Attributes(attributes(event.getAttributesList()), Map.of()).number(List.of("gen_ai.evaluation.score.value"));
                if (score != null) {
                    return score;
                }
            }
        }
        return null;
    }

    private static String first(List<String> names) {
        return names.isEmpty() ? "attribute" : names.get(0);
    }

    private static Map<String, AnyValue> attributes(List<KeyValue> list) {
        Map<String, AnyValue> map = new HashMap<>(list.size() * 2);
        for (KeyValue kv : list) {
            map.put(kv.getKey(), kv.getValue());
        }
        return map;
    }

    /** A span's attributes over its resource's; values read leniently (a count sent as a string or a whole double). */
    private record Attributes(Map<String, AnyValue> span, Map<String, AnyValue> resource) {
        AnyValue find(List<String> keys) {
            for (String key : keys) {
                AnyValue v = span.get(key);
                if (v == null) {
                    v = resource.get(key);
                }
                if (v != null && v.getValueCase() != AnyValue.ValueCase.VALUE_NOT_SET) {
                    return v;
                }
            }
            return null;
        }

        String keyOf(List<String> keys) {
            for (String key : keys) {
                if (span.containsKey(key) || resource.containsKey(key)) {
                    return key;
                }
            }
            return first(keys);
        }

        boolean has(List<String> keys) {
            return find(keys) != null;
        }

        String string(List<String> keys) {
            AnyValue v = find(keys);
            if (v == null) {
                return null;
            }
            String s = switch (v.getValueCase()) {
                case STRING_VALUE -> v.getStringValue();
                case INT_VALUE -> Long.toString(v.getIntValue());
                case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
                case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
                default -> null;
            };
            return s == null || s.isBlank() ? null : s;
        }

        Integer tokens(List<String> keys) {
            AnyValue v = find(keys);
            if (v == null) {
                return null;
            }
            String key = keyOf(keys);
            long n;
            switch (v.getValueCase()) {
                case INT_VALUE -> n = v.getIntValue();
                case DOUBLE_VALUE -> {
                    double d = v.getDoubleValue();
                    if (d != Math.rint(d) || Double.isInfinite(d)) {
                        throw new ItemRefusal(key, key + " must be a whole number of tokens");
                    }
                    n = (long) d;
                }
                case STRING_VALUE -> {
                    try {
                        n = Long.parseLong(v.getStringValue().strip());
                    } catch (NumberFormatException e) {
                        throw new ItemRefusal(key, key + " must be a whole number of tokens");
                    }
                }
                default -> throw new ItemRefusal(key, key + " must be a whole number of tokens");
            }
            if (n < 0) {
                throw new ItemRefusal(key, key + " must not be negative");
            }
            if (n > Integer.MAX_VALUE) {
                throw new ItemRefusal(key, key + " must be at most " + Integer.MAX_VALUE);
            }
            return (int) n;
        }

        Double number(List<String> keys) {
            AnyValue v = find(keys);
            if (v == null) {
                return null;
            }
            String key = keyOf(keys);
            return switch (v.getValueCase()) {
                case DOUBLE_VALUE -> v.getDoubleValue();
                case INT_VALUE -> (double) v.getIntValue();
                case STRING_VALUE -> {
                    try {
                        yield Double.parseDouble(v.getStringValue().strip());
                    } catch (NumberFormatException e) {
                        throw new ItemRefusal(key, key + " must be a number");
                    }
                }
                default -> throw new ItemRefusal(key, key + " must be a number");
            };
        }

        Boolean bool(List<String> keys) {
            AnyValue v = find(keys);
            if (v == null) {
                return null;
            }
            if (v.getValueCase() == AnyValue.ValueCase.BOOL_VALUE) {
                return v.getBoolValue();
            }
            String s = string(keys);
            if ("true".equalsIgnoreCase(s) || "false".equalsIgnoreCase(s)) {
                return Boolean.parseBoolean(s);
            }
            String key = keyOf(keys);
            throw new ItemRefusal(key, key + " must be true or false");
        }
    }

}

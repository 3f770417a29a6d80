package dev.aiusage.intake.litellm;

import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.JsonTree;
import dev.aiusage.ingest.UsageInput;
import dev.aiusage.intake.Candidate;
import dev.aiusage.intake.FailedCall;
import dev.aiusage.intake.ItemRefusal;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The LiteLLM proxy's per-call log, as its generic HTTP logging callback posts it: {@code StandardLoggingPayload}
 * objects (the typed dict in LiteLLM's {@code litellm/types/utils.py}), as a JSON array ({@code log_format:
 * json_array}, the default), NDJSON ({@code ndjson}) or one object ({@code single}). A payload with {@code status:
 * failure} is a failed call, kept apart; a success is a call with LiteLLM's {@code response_cost} as its reported
 * cost (unless LiteLLM says it could not price it: then the catalog prices it from the tokens).
 */
@Singleton
public class LiteLlmMapper {
    /** Most payloads one delivery may hold (LiteLLM batches 512 by default). */
    public static final int MAX_PAYLOADS = 50_000;
    private static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("requestId", "id"), Map.entry("model", "model"), Map.entry("provider", "custom_llm_provider"),
            Map.entry("inputTokens", "prompt_tokens"), Map.entry("outputTokens", "completion_tokens"), Map.entry("costUsd", "response_cost"),
            Map.entry("ts", "startTime"), Map.entry("latencyMs", "endTime"), Map.entry("team", "metadata.user_api_key_team_alias"),
            Map.entry("user", "metadata.user_api_key_user_id"), Map.entry("workflow", "request_tags"), Map.entry("taskType", "call_type"),
            Map.entry("cacheReadTokens", "metadata.usage_object.prompt_tokens_details.cached_tokens"),
            Map.entry("cacheWriteTokens", "metadata.usage_object.prompt_tokens_details.cache_creation_tokens"),
            Map.entry("reasoningTokens", "metadata.usage_object.completion_tokens_details.reasoning_tokens"));

    private final String defaultTeam;

    LiteLlmMapper(@Value("${aiusage.intake.default-team:}") String defaultTeam) {
        this.defaultTeam = defaultTeam == null ? "" : defaultTeam.strip();
    }

    /** LiteLLM's name for a record's field, as refusals name it. */
    public String fieldOf(String field) {
        return FIELDS.getOrDefault(field, field);
    }

    /** The payloads of a delivery, in order. */
    public List<Candidate> map(byte[] body) {
        List<Object> values;
        try {
            values = JsonTree.readAll(new ByteArrayInputStream(body), MAX_PAYLOADS + 1);
        } catch (IOException e) {
            throw new BadInputException("body", "the body is not JSON: send LiteLLM's StandardLoggingPayload objects as a JSON array, NDJSON or one object");
        }
        List<Object> payloads = values.size() == 1 && values.get(0) instanceof List<?> list ? new ArrayList<>(list) : values;
        if (payloads.size() > MAX_PAYLOADS) {
            throw new BadInputException("body", "a delivery holds at most " + MAX_PAYLOADS + " payloads");
        }
        List<Candidate> items = new ArrayList<>(payloads.size());
        for (Object payload : payloads) {
            items.add(payload instanceof Map<?, ?> map ? candidate((Map<String, Object>) map)
                    : new Candidate.Refused(null, "body", "each payload must be a StandardLoggingPayload object"));
        }
        return items;
    }

    private Candidate candidate(Map<String, Object> p) {
        String id = text(p.get("id"));
        try {
            return map(p, id);
        } catch (ItemRefusal r) {
            return r.refused(id);
        }
    }

    private Candidate map(Map<String, Object> p, String id) {
        if (id == null) {
            throw new ItemRefusal("id", "id is required: it is LiteLLM's call id, which keeps a retried log from counting twice");
        }
        Map<String, Object> metadata = object(p.get("metadata"));
        Instant start = seconds(p.get("startTime"), "startTime");
        if (start == null) {
            throw new ItemRefusal("startTime", "startTime is required");
        }
        Instant end = seconds(p.get("endTime"), "endTime");
        Integer latency = end == null || end.isBefore(start) ? null : (int) Math.min(Integer.MAX_VALUE, java.time.Duration.between(start, end).toMillis());
        String team = first(text(metadata.get("user_api_key_team_alias")), text(metadata.get("team_alias")), text(p.get("team_alias")),
                text(metadata.get("user_api_key_team_id")));
        if (team == null) {
            if (defaultTeam.isEmpty()) {
                throw new ItemRefusal("metadata.user_api_key_team_alias",
                        "the call names no team: give its key a team in LiteLLM, or set aiusage.intake.default-team");
            }
            team = defaultTeam;
        }
        String user = first(text(metadata.get("user_api_key_user_id")), text(p.get("end_user")));
        String provider = text(p.get("custom_llm_provider"));
        String model = text(p.get("model"));
        if (provider != null && model != null && model.toLowerCase(Locale.ROOT).startsWith(provider.toLowerCase(Locale.ROOT) + "/")) {
            model = model.substring(provider.length() + 1);
        }
        String workflow = null;
        String taskType = null;
        for (Object tag : list(p.get("request_tags"))) {
            String t = text(tag);
            if (t != null && t.startsWith("workflow:") && workflow == null) {
                workflow = t.substring("workflow:".length());
            } else if (t != null && t.startsWith("task:") && taskType == null) {
                taskType = t.substring("task:".length());
            }
        }
        if (taskType == null) {
            taskType = callType(text(p.get("call_type")));
        }
        if ("failure".equals(text(p.get("status")))) {
            Map<String, Object> error = object(p.get("error_information"));
            return new Candidate.Failure(new FailedCall(null, start, "litellm", provider == null ? "unknown" : provider.toLowerCase(Locale.ROOT), model,
                    team, user, workflow, taskType, id, first(text(error.get("error_class")), text(error.get("error_code")), "error"), latency));
        }
        Map<String, Object> usage = object(metadata.get("usage_object"));
        if (usage.isEmpty()) {
            usage = object(object(p.get("hidden_params")).get("usage_object"));
        }
        Map<String, Object> promptDetails = object(usage.get("prompt_tokens_details"));
        Integer cacheRead = tokens(promptDetails.get("cached_tokens"), "metadata.usage_object.prompt_tokens_details.cached_tokens");
        Integer cacheWrite = tokens(first(promptDetails.get("cache_creation_tokens"), usage.get("cache_creation_input_tokens")),
                "metadata.usage_object.prompt_tokens_details.cache_creation_tokens");
        Integer reasoning = tokens(object(usage.get("completion_tokens_details")).get("reasoning_tokens"),
                "metadata.usage_object.completion_tokens_details.reasoning_tokens");
        // LiteLLM logs 0 with a debug note when it could not price a call: that is no price, not a free call
        boolean unpriced = p.get("response_cost_failure_debug_info") != null;
        Double cost = unpriced ? null : number(p.get("response_cost"), "response_cost");
        return new Candidate.Call(new UsageInput(OffsetDateTime.ofInstant(start, ZoneOffset.UTC), provider == null ? null : provider.toLowerCase(Locale.ROOT),
                model, team, user, taskType, workflow, tokens(p.get("prompt_tokens"), "prompt_tokens"),
                tokens(p.get("completion_tokens"), "completion_tokens"), cost, latency, null, null, id, null, null, null, null,
                zeroAsNull(cacheRead), zeroAsNull(cacheWrite), null, zeroAsNull(reasoning), null));
    }

    /** LiteLLM's call types, async or not: {@code acompletion} and {@code completion} are both {@code completion}. */
    private static String callType(String callType) {
        if (callType == null) {
            return "completion";
        }
        String t = callType.toLowerCase(Locale.ROOT);
        return t.startsWith("a") && List.of("acompletion", "aembedding", "atext_completion", "aresponses", "aimage_generation",
                "atranscription", "aspeech", "arerank").contains(t) ? t.substring(1) : t;
    }

    private static Integer zeroAsNull(Integer n) {
        return n == null || n == 0 ? null : n;
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String text(Object value) {
        if (value instanceof String s) {
            return s.isBlank() ? null : s.strip();
        }
        return value instanceof BigDecimal n ? n.toPlainString() : null;
    }

    private static Map<String, Object> object(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> list ? list : List.of();
    }

    private static Instant seconds(Object value, String field) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof BigDecimal n)) {
            throw new ItemRefusal(field, field + " must be a number of seconds since 1970 (UTC)");
        }
        if (n.signum() < 0 || n.compareTo(BigDecimal.valueOf(32_503_680_000L)) > 0) {
            throw new ItemRefusal(field, field + " must be a number of seconds since 1970 (UTC)");
        }
        BigDecimal micros = n.movePointRight(6).setScale(0, java.math.RoundingMode.HALF_EVEN);
        return Instant.EPOCH.plus(micros.longValueExact(), java.time.temporal.ChronoUnit.MICROS);
    }

    private static Integer tokens(Object value, String field) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof BigDecimal n) || n.stripTrailingZeros().scale() > 0) {
            throw new ItemRefusal(field, field + " must be a whole number of tokens");
        }
        if (n.signum() < 0) {
            throw new ItemRefusal(field, field + " must not be negative");
        }
        if (n.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            throw new ItemRefusal(field, field + " must be at most " + Integer.MAX_VALUE);
        }
        return n.intValue();
    }

    private static Double number(Object value, String field) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof BigDecimal n)) {
            throw new ItemRefusal(field, field + " must be a number");
        }
        return n.doubleValue();
    }

}

package dev.aiusage.intake.bulk;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which column (CSV) or key (JSONL) fills which field of a record: our own field names first, then the names the
 * common exports use (LiteLLM's spend logs, Langfuse's and Helicone's exports, OpenAI-style usage: {@code
 * prompt_tokens}, {@code spend}, {@code startTime} ...). Matched without regard to case, underscores, dashes or
 * spaces, so {@code input_tokens}, {@code inputTokens} and {@code Input Tokens} are one name. Names an export uses for
 * content ({@code input}, {@code prompt}) are left out on purpose: a prompt's text is never a field.
 */
final class Columns {
    static final Map<String, List<String>> ALIASES = aliases();
    private static final Map<String, String> BY_NAME = byName();

    private Columns() {
    }

    private static Map<String, List<String>> aliases() {
        Map<String, List<String>> a = new LinkedHashMap<>();
        a.put("ts", List.of("ts", "timestamp", "time", "startTime", "start_time", "created_at", "createdAt", "request_time", "date"));
        a.put("provider", List.of("provider", "custom_llm_provider", "llm_provider", "system", "gen_ai.provider.name", "gen_ai.system"));
        a.put("model", List.of("model", "model_name", "response_model", "gen_ai.response.model", "gen_ai.request.model"));
        a.put("team", List.of("team", "team_alias", "team_name", "team_id"));
        a.put("user", List.of("user", "user_id", "end_user", "user_name", "username"));
        a.put("taskType", List.of("taskType", "task", "call_type", "operation", "gen_ai.operation.name"));
        a.put("workflow", List.of("workflow", "workflow_name", "agent", "agent_name", "feature"));
        a.put("inputTokens", List.of("inputTokens", "prompt_tokens", "tokens_in", "gen_ai.usage.input_tokens"));
        a.put("outputTokens", List.of("outputTokens", "completion_tokens", "tokens_out", "gen_ai.usage.output_tokens"));
        a.put("costUsd", List.of("costUsd", "cost", "spend", "total_cost", "response_cost", "cost_usd"));
        a.put("latencyMs", List.of("latencyMs", "latency", "duration_ms", "response_time_ms"));
        a.put("qualityScore", List.of("qualityScore", "quality", "score"));
        a.put("passedQuality", List.of("passedQuality", "passed", "pass"));
        a.put("requestId", List.of("requestId", "request_id", "id", "call_id", "response_id", "gen_ai.response.id"));
        a.put("sessionId", List.of("sessionId", "session", "conversation_id", "thread_id"));
        a.put("promptTemplate", List.of("promptTemplate", "prompt_template", "prompt_name"));
        a.put("promptVersion", List.of("promptVersion", "prompt_version"));
        a.put("promptChars", List.of("promptChars", "prompt_length"));
        a.put("cacheReadTokens", List.of("cacheReadTokens", "cached_tokens", "cache_read_input_tokens", "cache_read_tokens"));
        a.put("cacheWriteTokens", List.of("cacheWriteTokens", "cache_creation_input_tokens", "cache_creation_tokens", "cache_write_tokens"));
        a.put("cacheWrite1hTokens", List.of("cacheWrite1hTokens", "cache_write_1h_tokens"));
        a.put("reasoningTokens", List.of("reasoningTokens", "reasoning_tokens"));
        a.put("serviceTier", List.of("serviceTier", "service_tier"));
        return a;
    }

    private static Map<String, String> byName() {
        Map<String, String> byName = new HashMap<>();
        ALIASES.forEach((field, names) -> names.forEach(name -> byName.putIfAbsent(normal(name), field)));
        return byName;
    }

    static String normal(String name) {
        StringBuilder s = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                s.append(Character.toLowerCase(c));
            }
        }
        return s.toString().toLowerCase(Locale.ROOT);
    }

    /** The record field a column or key fills, or null when it fills none. */
    static String fieldOf(String column) {
        return BY_NAME.get(normal(column));
    }
}

package dev.aiusage.support;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds one {@code UsageInput} as the JSON variables a client sends. */
public final class Usage {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    private Usage(String ts, String team, String model, String workflow, String taskType, double costUsd) {
        if (ts != null) {
            fields.put("ts", ts);
        }
        fields.put("provider", "test-provider");
        fields.put("model", model);
        fields.put("team", team);
        fields.put("taskType", taskType);
        if (workflow != null) {
            fields.put("workflow", workflow);
        }
        fields.put("costUsd", costUsd);
    }

    public static Usage of(String ts, String team, String model, String workflow, String taskType, double costUsd) {
        return new Usage(ts, team, model, workflow, taskType, costUsd);
    }

    public Usage tokens(Integer in, Integer out) {
        return set("inputTokens", in).set("outputTokens", out);
    }

    public Usage latency(Integer ms) {
        return set("latencyMs", ms);
    }

    public Usage quality(Double score, Boolean passed) {
        return set("qualityScore", score).set("passedQuality", passed);
    }

    public Usage set(String field, Object value) {
        if (value == null) {
            fields.remove(field);
        } else {
            fields.put(field, value);
        }
        return this;
    }

    public Map<String, Object> map() {
        return new LinkedHashMap<>(fields);
    }
}

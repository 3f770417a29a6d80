package dev.aiusage.support;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Reads a value out of parsed JSON by a path such as {@code costByTeam[0].team}. */
public final class Json {
    private static final JsonMapper MAPPER = JsonMapper.createDefault();

    private Json() {
    }

    /** A JSON object, e.g. a request body a fake destination received. */
    public static Map<String, Object> parse(String body) {
        try {
            return MAPPER.readValue(body, Argument.mapOf(String.class, Object.class));
        } catch (IOException e) {
            throw new AssertionError("not a JSON object: " + body, e);
        }
    }

    public static Object at(Object root, String path) {
        Object current = root;
        for (String step : path.split("\\.")) {
            String key = step;
            Integer index = null;
            int bracket = step.indexOf('[');
            if (bracket >= 0) {
                key = step.substring(0, bracket);
                index = Integer.parseInt(step.substring(bracket + 1, step.length() - 1));
            }
            if (!key.isEmpty()) {
                if (!(current instanceof Map<?, ?> map) || !map.containsKey(key)) {
                    throw new AssertionError("no '" + key + "' at " + path + " in " + root);
                }
                current = map.get(key);
            }
            if (index != null) {
                if (!(current instanceof List<?> list) || index >= list.size()) {
                    throw new AssertionError("no [" + index + "] at " + path + " in " + root);
                }
                current = list.get(index);
            }
        }
        return current;
    }

    public static List<?> list(Object root, String path) {
        return (List<?>) at(root, path);
    }

    public static double number(Object root, String path) {
        return ((Number) at(root, path)).doubleValue();
    }

    public static long whole(Object root, String path) {
        return ((Number) at(root, path)).longValue();
    }

    /** The nodes of a connection's {@code edges} at {@code path} ({@code usageRecords.edges}), in order. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> nodes(Object root, String path) {
        return list(root, path).stream().map(e -> (Map<String, Object>) ((Map<String, Object>) e).get("node")).toList();
    }
}

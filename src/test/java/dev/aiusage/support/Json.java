package dev.aiusage.support;

import java.util.List;
import java.util.Map;

/** Reads a value out of parsed JSON by a path such as {@code costByTeam[0].team}. */
public final class Json {
    private Json() {
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
}

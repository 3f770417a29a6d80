package dev.aiusage.pricing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which names a catalog entry answers for, as genai-prices writes it: {@code equals}, {@code starts_with},
 * {@code ends_with}, {@code contains} (all ignoring case), {@code regex} (case as written, found anywhere in the
 * name) and {@code or} / {@code and} of clauses.
 */
sealed interface NameMatch {
    boolean test(String name);

    /** The clause as the catalog file holds it. */
    Object toJson();

    record Text(String kind, String value) implements NameMatch {
        @Override
        public boolean test(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            String v = value.toLowerCase(Locale.ROOT);
            return switch (kind) {
                case "equals" -> n.equals(v);
                case "starts_with" -> n.startsWith(v);
                case "ends_with" -> n.endsWith(v);
                case "contains" -> n.contains(v);
                default -> throw new IllegalStateException(kind);
            };
        }

        @Override
        public Object toJson() {
            return Map.of(kind, value);
        }
    }

    record Regex(Pattern pattern) implements NameMatch {
        @Override
        public boolean test(String name) {
            return pattern.matcher(name).find();
        }

        @Override
        public Object toJson() {
            return Map.of("regex", pattern.pattern());
        }
    }

    record Any(List<NameMatch> clauses, boolean all) implements NameMatch {
        @Override
        public boolean test(String name) {
            return all ? clauses.stream().allMatch(c -> c.test(name)) : clauses.stream().anyMatch(c -> c.test(name));
        }

        @Override
        public Object toJson() {
            return Map.of(all ? "and" : "or", clauses.stream().map(NameMatch::toJson).toList());
        }
    }

    static NameMatch parse(Object json) {
        if (!(json instanceof Map<?, ?> map) || map.size() != 1) {
            throw new IllegalArgumentException("a match clause is an object with one key");
        }
        Map.Entry<?, ?> entry = map.entrySet().iterator().next();
        String kind = entry.getKey().toString();
        Object value = entry.getValue();
        return switch (kind) {
            case "equals", "starts_with", "ends_with", "contains" -> new Text(kind, (String) value);
            case "regex" -> new Regex(Pattern.compile((String) value));
            case "or", "and" -> {
                List<NameMatch> clauses = new ArrayList<>();
                for (Object clause : (List<?>) value) {
                    clauses.add(parse(clause));
                }
                yield new Any(List.copyOf(clauses), kind.equals("and"));
            }
            default -> throw new IllegalArgumentException("unknown match clause " + kind);
        };
    }
}

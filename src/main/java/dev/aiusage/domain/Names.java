package dev.aiusage.domain;

/** The one rule for names (team, model, workflow, ...) wherever they come in: records, filters, URLs. */
public final class Names {
    public static final int MAX_LENGTH = 200;

    private Names() {
    }

    /**
     * Returns the name trimmed, or the reason it is refused: empty, longer than {@value #MAX_LENGTH}
     * characters, or holding control characters (which would corrupt reports and logs).
     */
    public static String problem(String value) {
        String trimmed = value.strip();
        if (trimmed.isEmpty()) {
            return "must not be empty";
        }
        if (trimmed.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters (got " + trimmed.length() + ")";
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            return "must not contain control characters";
        }
        return null;
    }

    /** The trimmed name, or a {@link BadInputException} naming {@code field}. */
    public static String require(String field, String value) {
        String problem = problem(value);
        if (problem != null) {
            throw new BadInputException(field, field + " " + problem);
        }
        return value.strip();
    }
}

package dev.aiusage.access;

/** The caller is known but may not do this. Carries the input at fault, if one is. */
public class ForbiddenException extends RuntimeException {
    private final String field;

    public ForbiddenException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}

package dev.aiusage.domain;

/**
 * A client sent something the service will not take. Carries the input field at fault so that
 * GraphQL clients get {@code extensions.field} and REST clients a {@code field} to point at.
 */
public class BadInputException extends RuntimeException {
    private final String field;

    public BadInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}

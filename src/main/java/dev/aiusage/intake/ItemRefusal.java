package dev.aiusage.intake;

/**
 * An item of a delivery (a span, a LiteLLM payload, a row of a file) that maps to no record: the field at fault in
 * the source's own terms ({@code gen_ai.usage.input_tokens}, {@code prompt_tokens}, a CSV column) and why. Thrown by
 * a source's mapper and turned into a {@link Candidate.Refused} there; no stack trace, it is an answer.
 */
public final class ItemRefusal extends RuntimeException {
    private final String field;

    public ItemRefusal(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }

    public Candidate.Refused refused(String requestId) {
        return new Candidate.Refused(requestId, field, getMessage());
    }
}

package dev.aiusage.domain;

import java.time.Duration;

/**
 * A read ran past its time budget and was stopped. The budget is the server's; the client can narrow the
 * window or the filter, or ask for fewer fields in one request.
 */
public class QueryTimeoutException extends RuntimeException {
    private final Duration budget;

    public QueryTimeoutException(Duration budget) {
        super("The query ran past its time budget of " + budget.toMillis() + " ms and was stopped; "
                + "narrow the time window or the filter, or ask for fewer fields in one request.");
        this.budget = budget;
    }

    public Duration budget() {
        return budget;
    }
}

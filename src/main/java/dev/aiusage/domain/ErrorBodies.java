package dev.aiusage.domain;

/** What a client is told of failures whose details stay in the server log. */
public final class ErrorBodies {
    private ErrorBodies() {
    }

    /** What a client is told of an unexpected failure: a reference to find it in the log, nothing of the failure. */
    public static String internalMessage(String reference) {
        return "Internal error (reference " + reference + "); the details are in the server log.";
    }
}

package dev.aiusage.graphql;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Parsed and validated documents by query text, so that a dashboard sending the same query again skips
 * parsing and validation (which depend on the text and the schema alone; variables are coerced per request).
 * Bounded: the {@value #ENTRIES} most recently used texts of at most {@value #MAX_TEXT} characters, so that a
 * client sending endless distinct or huge queries cannot grow it. Depth and complexity limits still run on
 * every request, as they are checked when the operation begins.
 */
final class DocumentCache implements PreparsedDocumentProvider {
    static final int ENTRIES = 500;
    static final int MAX_TEXT = 20_000;

    private final Map<String, PreparsedDocumentEntry> entries = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparsedDocumentEntry> eldest) {
            return size() > ENTRIES;
        }
    };

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
                                                                      Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        String text = input.getQuery();
        if (text == null || text.length() > MAX_TEXT) {
            return CompletableFuture.completedFuture(parseAndValidate.apply(input));
        }
        PreparsedDocumentEntry cached;
        synchronized (entries) {
            cached = entries.get(text);
        }
        if (cached == null) {
            cached = parseAndValidate.apply(input);
            synchronized (entries) {
                entries.put(text, cached);
            }
        }
        return CompletableFuture.completedFuture(cached);
    }
}

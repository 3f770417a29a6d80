package dev.aiusage.graphql;

import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kind (query, mutation, subscription) of the operation a request will run, decided before it runs: HTTP
 * picks its pool by it and refuses subscriptions, the WebSocket refuses everything else. Cached by document text
 * for the texts a dashboard sends again and again (bounded as {@link DocumentCache} is).
 */
@Singleton
class OperationKinds {
    private final Map<String, OperationDefinition.Operation> kinds = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, OperationDefinition.Operation> eldest) {
            return size() > DocumentCache.ENTRIES;
        }
    };

    /**
     * The kind of the operation {@code operationName} names (or the document's only one), or null when the text
     * does not parse or names no such operation: the execution then reports why, as it always does.
     */
    OperationDefinition.Operation of(String query, String operationName) {
        if (query == null) {
            return null;
        }
        boolean cacheable = query.length() <= DocumentCache.MAX_TEXT;
        String key = operationName == null ? query : operationName + "\u0000" + query;
        if (cacheable) {
            synchronized (kinds) {
                OperationDefinition.Operation known = kinds.get(key);
                if (known != null) {
                    return known;
                }
            }
        }
        OperationDefinition.Operation kind;
        try {
            Document document = Parser.parse(query);
            List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
            kind = operations.stream()
                    .filter(o -> operationName == null ? operations.size() == 1 : operationName.equals(o.getName()))
                    .map(OperationDefinition::getOperation).findFirst().orElse(null);
        } catch (RuntimeException unparsable) {
            // syntax errors, parser limits: the execution reports them as it always does
            return null;
        }
        if (cacheable && kind != null) {
            synchronized (kinds) {
                kinds.put(key, kind);
            }
        }
        return kind;
    }
}

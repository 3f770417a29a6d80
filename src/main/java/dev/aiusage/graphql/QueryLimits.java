package dev.aiusage.graphql;

import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;
import graphql.execution.instrumentation.Instrumentation;

import java.util.Map;

/**
 * Refuses queries that would hurt everyone else before they run, with graphql-java's own depth and
 * complexity analysis; each refusal carries a code of its own. The limits leave room for GraphiQL's and
 * codegen tools' introspection query.
 */
final class QueryLimits {
    static final String QUERY_TOO_DEEP = "QUERY_TOO_DEEP";
    static final String QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX";

    private QueryLimits() {
    }

    static Instrumentation depth(int max) {
        return new MaxQueryDepthInstrumentation(max) {
            @Override
            protected AbortExecutionException mkAbortException(int depth, int maxDepth) {
                return new Refusal(QUERY_TOO_DEEP, "The query nests " + depth + " levels deep; at most " + maxDepth + " are allowed.",
                        depth, maxDepth);
            }
        };
    }

    static Instrumentation complexity(int max) {
        return new MaxQueryComplexityInstrumentation(max) {
            @Override
            protected AbortExecutionException mkAbortException(int complexity, int maxComplexity) {
                return new Refusal(QUERY_TOO_COMPLEX, "The query asks for " + complexity + " fields; at most " + maxComplexity
                        + " are allowed in one request.", complexity, maxComplexity);
            }
        };
    }

    /** A refused query, with {@code extensions.code} and the figures that decided it. */
    static final class Refusal extends AbortExecutionException {
        private final String code;
        private final int actual;
        private final int limit;

        Refusal(String code, String message, int actual, int limit) {
            super(message);
            this.code = code;
            this.actual = actual;
            this.limit = limit;
        }

        @Override
        public Map<String, Object> getExtensions() {
            return Map.of(ErrorCodes.CODE, code, "actual", actual, "limit", limit);
        }
    }
}

package dev.aiusage.graphql;

import dev.aiusage.domain.ErrorCode;
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

    private QueryLimits() {
    }

    static Instrumentation depth(int max) {
        return new MaxQueryDepthInstrumentation(max) {
            @Override
            protected AbortExecutionException mkAbortException(int depth, int maxDepth) {
                return new Refusal(ErrorCode.QUERY_TOO_DEEP, "The query nests " + depth + " levels deep; at most " + maxDepth + " are allowed.",
                        depth, maxDepth);
            }
        };
    }

    static Instrumentation complexity(int max) {
        return new MaxQueryComplexityInstrumentation(max) {
            @Override
            protected AbortExecutionException mkAbortException(int complexity, int maxComplexity) {
                return new Refusal(ErrorCode.QUERY_TOO_COMPLEX, "The query asks for " + complexity + " fields; at most " + maxComplexity
                        + " are allowed in one request.", complexity, maxComplexity);
            }
        };
    }

    /**
     * What each read costs the database, relative to one analytics query answered from the rollups: a raw scan
     * of the window (prompt insights), a page of up to 1,000 records, and the adoption picture (several reads and
     * the directory) count more. Fields not listed cost nothing.
     */
    static final Map<String, Integer> READ_COST = Map.ofEntries(
            Map.entry("promptInsights", 10), Map.entry("adoption", 4), Map.entry("adoptionTrend", 4),
            Map.entry("usageRecords", 2), Map.entry("powerUsers", 2), Map.entry("weeklyReport", 3),
            Map.entry("costByTeam", 1), Map.entry("costByWorkflow", 1), Map.entry("modelEfficiency", 1),
            Map.entry("dailyTrend", 1), Map.entry("substitutionOpportunities", 1));

    /**
     * Refuses a request whose root reads add up to more than {@code max} (see {@link #READ_COST}): aliases make
     * one request ask for the same expensive read many times, which the field count alone lets through.
     */
    static Instrumentation readCost(int max) {
        return new MaxQueryComplexityInstrumentation(max, (env, children) -> "Query".equals(env.getParentType().getName())
                ? READ_COST.getOrDefault(env.getFieldDefinition().getName(), 0) : 0) {
            @Override
            protected AbortExecutionException mkAbortException(int cost, int maxCost) {
                return new Refusal(ErrorCode.QUERY_TOO_EXPENSIVE, "The request's reads cost " + cost + "; at most " + maxCost
                        + " are allowed in one request (an analytics query costs 1, promptInsights 10): split it.", cost, maxCost);
            }
        };
    }

    /** A refused query, with {@code extensions.code} and the figures that decided it. */
    static final class Refusal extends AbortExecutionException {
        private final ErrorCode code;
        private final int actual;
        private final int limit;

        Refusal(ErrorCode code, String message, int actual, int limit) {
            super(message);
            this.code = code;
            this.actual = actual;
            this.limit = limit;
        }

        @Override
        public Map<String, Object> getExtensions() {
            return Map.of(ErrorCode.CODE, code.name(), "actual", actual, "limit", limit);
        }
    }
}

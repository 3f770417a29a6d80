package dev.aiusage.graphql;

import dev.aiusage.domain.ErrorCode;
import graphql.ExecutionResult;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationValidationParameters;
import graphql.language.Directive;
import graphql.language.Document;
import graphql.language.Node;
import graphql.language.NodeTraverser;
import graphql.language.NodeVisitorStub;
import graphql.language.OperationDefinition;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;
import graphql.validation.ValidationError;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Refuses queries that would hurt everyone else before they run, with graphql-java's own depth and
 * complexity analysis; each refusal carries a code of its own. The limits leave room for GraphiQL's and
 * codegen tools' introspection query.
 */
final class QueryLimits {

    private QueryLimits() {
    }

    static Instrumentation depth(int max) {
        return new CheckedOnce(new MaxQueryDepthInstrumentation(max) {
            @Override
            protected AbortExecutionException mkAbortException(int depth, int maxDepth) {
                return new Refusal(ErrorCode.QUERY_TOO_DEEP, "The query nests " + depth + " levels deep; at most " + maxDepth + " are allowed.",
                        depth, maxDepth);
            }
        });
    }

    static Instrumentation complexity(int max) {
        return new CheckedOnce(new MaxQueryComplexityInstrumentation(max) {
            @Override
            protected AbortExecutionException mkAbortException(int complexity, int maxComplexity) {
                return new Refusal(ErrorCode.QUERY_TOO_COMPLEX, "The query asks for " + complexity + " fields; at most " + maxComplexity
                        + " are allowed in one request.", complexity, maxComplexity);
            }
        });
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
            Map.entry("dailyTrend", 1), Map.entry("substitutionOpportunities", 1),
            Map.entry("usage", 2), Map.entry("unpricedUsage", 2), Map.entry("reconciliation", 2), Map.entry("failedCalls", 1),
            Map.entry("budgets", 2), Map.entry("anomalies", 2));

    /**
     * Refuses a request whose root reads add up to more than {@code max} (see {@link #READ_COST}): aliases make
     * one request ask for the same expensive read many times, which the field count alone lets through.
     */
    static Instrumentation readCost(int max) {
        return new CheckedOnce(new MaxQueryComplexityInstrumentation(max, (env, children) -> "Query".equals(env.getParentType().getName())
                ? READ_COST.getOrDefault(env.getFieldDefinition().getName(), 0) : 0) {
            @Override
            protected AbortExecutionException mkAbortException(int cost, int maxCost) {
                return new Refusal(ErrorCode.QUERY_TOO_EXPENSIVE, "The request's reads cost " + cost + "; at most " + maxCost
                        + " are allowed in one request (an analytics query costs 1, promptInsights 10): split it.", cost, maxCost);
            }
        });
    }

    /**
     * One limit, checked once per operation of a cached document ({@link DocumentCache} hands out the same parsed
     * document for the same text). graphql-java's analysis walks the operation with its arguments coerced and
     * hashes them at every field: for a batch of 1,000 records that was a fifth of the service's time per batch,
     * for each limit. Depth, field count and read cost depend on the document alone, except where {@code @skip}
     * or {@code @include} take a variable, so an operation without those that passed once passes again. Refusals
     * are not remembered (checked and refused every time). Held weakly: an operation leaves with its document.
     */
    private static final class CheckedOnce extends SimplePerformantInstrumentation {
        private final SimplePerformantInstrumentation limit;
        private final Map<OperationDefinition, Boolean> passed = Collections.synchronizedMap(new WeakHashMap<>());

        CheckedOnce(SimplePerformantInstrumentation limit) {
            this.limit = limit;
        }

        @Override
        public CompletableFuture<InstrumentationState> createStateAsync(InstrumentationCreateStateParameters parameters) {
            return limit.createStateAsync(parameters);
        }

        @Override
        public InstrumentationContext<List<ValidationError>> beginValidation(InstrumentationValidationParameters parameters,
                                                                             InstrumentationState state) {
            return limit.beginValidation(parameters, state);
        }

        @Override
        public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
                                                                             InstrumentationState state) {
            OperationDefinition operation = parameters.getExecutionContext().getOperationDefinition();
            if (passed.containsKey(operation)) {
                return SimpleInstrumentationContext.noOp();
            }
            InstrumentationContext<ExecutionResult> checked = limit.beginExecuteOperation(parameters, state);
            if (!hasConditions(parameters.getExecutionContext().getDocument())) {
                passed.put(operation, Boolean.TRUE);
            }
            return checked;
        }

        /** Whether the document (its fragments too) uses {@code @skip} or {@code @include} anywhere. */
        private static boolean hasConditions(Document document) {
            boolean[] found = {false};
            new NodeTraverser().depthFirst(new NodeVisitorStub() {
                @Override
                public TraversalControl visitDirective(Directive node, TraverserContext<Node> context) {
                    if (node.getName().equals("skip") || node.getName().equals("include")) {
                        found[0] = true;
                        return TraversalControl.QUIT;
                    }
                    return TraversalControl.CONTINUE;
                }
            }, document);
            return found[0];
        }
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

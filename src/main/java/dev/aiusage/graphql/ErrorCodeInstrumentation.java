package dev.aiusage.graphql;

import graphql.ErrorClassification;
import graphql.ErrorType;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gives every error graphql-java raises itself (syntax, validation, variable coercion) the same
 * {@code extensions.code} as the service's own errors, with the argument at fault where the message names
 * one, so that a client handles an unknown argument and an out-of-range value alike.
 */
final class ErrorCodeInstrumentation extends SimplePerformantInstrumentation {
    /** Where graphql-java's messages name the input at fault, most specific first. */
    private static final List<Pattern> FIELD_PATTERNS = List.of(
            Pattern.compile("Field '([^']+)' has coerced Null"),
            Pattern.compile("field name '([^']+)' that is not defined"),
            Pattern.compile("argument '([^']+)'"),
            Pattern.compile("Variable '([^']+)'"));
    /** graphql-java quotes literals as their syntax-tree objects, e.g. {@code 'StringValue{value='x'}'}. */
    private static final Pattern AST_LITERAL = Pattern.compile("'\\w+Value\\{value=(.*?)}'");

    @Override
    public CompletableFuture<ExecutionResult> instrumentExecutionResult(ExecutionResult result,
                                                                        InstrumentationExecutionParameters parameters,
                                                                        InstrumentationState state) {
        if (result.getErrors().isEmpty()) {
            return CompletableFuture.completedFuture(result);
        }
        List<GraphQLError> errors = result.getErrors().stream().map(ErrorCodeInstrumentation::withCode).toList();
        return CompletableFuture.completedFuture(result.transform(b -> b.errors(errors)));
    }

    private static GraphQLError withCode(GraphQLError error) {
        Map<String, Object> extensions = error.getExtensions() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(error.getExtensions());
        if (extensions.containsKey(ErrorCodes.CODE)) {
            return error;
        }
        ErrorClassification type = error.getErrorType();
        boolean clientFault = type == ErrorType.ValidationError || type == ErrorType.InvalidSyntax
                || type == ErrorType.OperationNotSupported;
        String code = clientFault ? ErrorCodes.BAD_USER_INPUT : ErrorCodes.INTERNAL;
        extensions.put(ErrorCodes.CODE, code);
        if (clientFault) {
            for (Pattern pattern : FIELD_PATTERNS) {
                Matcher m = pattern.matcher(error.getMessage());
                if (m.find()) {
                    extensions.put(ErrorCodes.FIELD, m.group(1));
                    break;
                }
            }
        }
        return GraphqlErrorBuilder.newError()
                .message(AST_LITERAL.matcher(error.getMessage()).replaceAll("$1"))
                .locations(error.getLocations())
                .path(error.getPath())
                .errorType(ErrorClassification.errorClassification(code))
                .extensions(extensions)
                .build();
    }
}

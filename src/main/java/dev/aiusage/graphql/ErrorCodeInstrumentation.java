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

    /**
     * graphql-java quotes the value it refused: a plain literal as its text, but an input object or list as
     * its syntax tree with class names ({@code ObjectValue{objectFields=[...]}}), the whole input echoed back.
     * Such a value is left out of the message; the argument's name and what is wrong with it stay.
     */
    static String withoutInputLiterals(String message) {
        String plain = AST_LITERAL.matcher(message).replaceAll("$1");
        if (!plain.contains("Value{")) {
            return plain;
        }
        int start = plain.indexOf(" with value '");
        int end = start < 0 ? -1 : plain.lastIndexOf("' ");
        if (start >= 0 && end > start) {
            return plain.substring(0, start) + plain.substring(end + 1);
        }
        return plain.replaceAll("\\w+Value\\{.*}", "the value given");
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
                .message(withoutInputLiterals(error.getMessage()))
                .locations(error.getLocations())
                .path(error.getPath())
                .errorType(ErrorClassification.errorClassification(code))
                .extensions(extensions)
                .build();
    }
}

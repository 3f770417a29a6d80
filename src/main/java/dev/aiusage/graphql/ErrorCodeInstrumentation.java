package dev.aiusage.graphql;

import dev.aiusage.domain.ErrorCode;
import graphql.ErrorClassification;
import graphql.ErrorType;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.InvalidSyntaxError;
import graphql.execution.InputMapDefinesTooManyFieldsException;
import graphql.execution.MissingRootTypeException;
import graphql.execution.NonNullableValueCoercedAsNullException;
import graphql.execution.OneOfNullValueException;
import graphql.execution.OneOfTooManyKeysException;
import graphql.execution.UnknownOperationException;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.language.Argument;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.Node;
import graphql.language.NodeTraverser;
import graphql.language.NodeVisitorStub;
import graphql.language.ObjectField;
import graphql.language.SourceLocation;
import graphql.language.VariableDefinition;
import graphql.parser.Parser;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.GraphQLArgument;
import graphql.execution.TypeFromAST;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;
import graphql.validation.ValidationError;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Gives every error graphql-java raises itself (syntax, validation, variable coercion) a code from
 * {@link ErrorCode}, decided by the error's type, and the argument, variable or input field at fault, found
 * where the error points in the document (or along the input path of a coercion error), never by reading the
 * message. A client then handles an unknown argument and an out-of-range value alike.
 */
final class ErrorCodeInstrumentation extends SimplePerformantInstrumentation {
    /** graphql-java's own errors that are the client's mistake. */
    private static final Set<Class<?>> CLIENT_FAULTS = Set.of(ValidationError.class, InvalidSyntaxError.class,
            NonNullableValueCoercedAsNullException.class, CoercingParseValueException.class, CoercingParseLiteralException.class,
            InputMapDefinesTooManyFieldsException.class, OneOfTooManyKeysException.class, OneOfNullValueException.class,
            UnknownOperationException.class, MissingRootTypeException.class);
    /** graphql-java quotes literals as their syntax-tree objects, e.g. {@code 'StringValue{value='x'}'}. */
    private static final Pattern AST_LITERAL = Pattern.compile("'\\w+Value\\{value=(.*?)}'");

    @Override
    public CompletableFuture<ExecutionResult> instrumentExecutionResult(ExecutionResult result,
                                                                        InstrumentationExecutionParameters parameters,
                                                                        InstrumentationState state) {
        if (result.getErrors().isEmpty()) {
            return CompletableFuture.completedFuture(result);
        }
        Located located = new Located(parameters.getQuery(), parameters.getSchema(), parameters.getVariables());
        List<GraphQLError> errors = result.getErrors().stream().map(e -> withCode(e, located)).toList();
        return CompletableFuture.completedFuture(result.transform(b -> b.errors(errors)));
    }

    static boolean clientFault(GraphQLError error) {
        if (CLIENT_FAULTS.stream().anyMatch(c -> c.isInstance(error))) {
            return true;
        }
        ErrorClassification type = error.getErrorType();
        return type == ErrorType.ValidationError || type == ErrorType.InvalidSyntax || type == ErrorType.OperationNotSupported;
    }

    private static GraphQLError withCode(GraphQLError error, Located located) {
        Map<String, Object> extensions = error.getExtensions() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(error.getExtensions());
        if (extensions.containsKey(ErrorCode.CODE)) {
            return error;
        }
        boolean clientFault = clientFault(error);
        ErrorCode code = clientFault ? ErrorCode.BAD_USER_INPUT : ErrorCode.INTERNAL;
        extensions.put(ErrorCode.CODE, code.name());
        if (clientFault) {
            String field = inputPathEnd(error);
            if (field == null && !(error instanceof InvalidSyntaxError)) {
                field = located.nameAt(error.getLocations(), !(error instanceof ValidationError));
            }
            if (field != null) {
                extensions.put(ErrorCode.FIELD, field);
            }
        }
        return GraphqlErrorBuilder.newError()
                .message(withoutInputLiterals(error.getMessage()))
                .locations(error.getLocations())
                .path(clientFault && !(error instanceof ValidationError) ? null : error.getPath())
                .errorType(ErrorClassification.errorClassification(code.name()))
                .extensions(extensions)
                .build();
    }

    /** A coercion error's path runs through the input (variable, then fields and list indexes): its last name. */
    private static String inputPathEnd(GraphQLError error) {
        if (error instanceof ValidationError || error.getPath() == null) {
            return null;
        }
        List<Object> path = error.getPath();
        for (int i = path.size() - 1; i >= 0; i--) {
            if (path.get(i) instanceof String name) {
                return name;
            }
        }
        return null;
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

    /**
     * The document's nodes by where they start, parsed once per failed request and only when an error needs
     * it (errors are rare; a cached document would hold a text that no longer runs).
     */
    private static final class Located {
        private final String query;
        private final GraphQLSchema schema;
        private final Map<String, Object> variables;
        private Map<SourceLocation, List<Node<?>>> nodes;
        private final List<VariableDefinition> definitions = new ArrayList<>();

        Located(String query, GraphQLSchema schema, Map<String, Object> variables) {
            this.query = query;
            this.schema = schema;
            this.variables = variables == null ? Map.of() : variables;
        }

        /**
         * The argument, variable or input field at the error's first location; for a field, its first missing
         * required argument. A variable's value that failed coercion is searched for an unknown or missing
         * field, which is named rather than the variable; an error without a location (an unknown input field)
         * is looked for in every variable.
         */
        String nameAt(List<SourceLocation> locations, boolean coercion) {
            if (query == null) {
                return null;
            }
            if (locations == null || locations.isEmpty()) {
                index();
                return coercion ? definitions.stream().map(this::fieldAtFault).filter(Objects::nonNull).findFirst().orElse(null) : null;
            }
            SourceLocation at = locations.get(0);
            for (Node<?> node : index().getOrDefault(new SourceLocation(at.getLine(), at.getColumn()), List.of())) {
                if (node instanceof Argument argument) {
                    return argument.getName();
                }
                if (node instanceof VariableDefinition variable) {
                    String field = coercion ? fieldAtFault(variable) : null;
                    return field != null ? field : variable.getName();
                }
                if (node instanceof ObjectField field) {
                    return field.getName();
                }
                if (node instanceof Field field) {
                    return missingArgument(field);
                }
            }
            return null;
        }

        private String fieldAtFault(VariableDefinition variable) {
            GraphQLType type = TypeFromAST.getTypeFromAST(schema, variable.getType());
            return type instanceof GraphQLInputType input ? InputFault.find(input, variables.get(variable.getName())) : null;
        }

        private String missingArgument(Field field) {
            Set<String> given = new java.util.HashSet<>();
            field.getArguments().forEach(a -> given.add(a.getName()));
            for (GraphQLObjectType type : List.of(schema.getQueryType(), Objects.requireNonNullElse(schema.getMutationType(), schema.getQueryType()))) {
                GraphQLFieldDefinition definition = type.getFieldDefinition(field.getName());
                if (definition == null) {
                    continue;
                }
                for (GraphQLArgument argument : definition.getArguments()) {
                    if (argument.getType() instanceof GraphQLNonNull && !argument.hasSetDefaultValue() && !given.contains(argument.getName())) {
                        return argument.getName();
                    }
                }
            }
            return null;
        }

        private Map<SourceLocation, List<Node<?>>> index() {
            if (nodes != null) {
                return nodes;
            }
            nodes = new LinkedHashMap<>();
            Document document;
            try {
                document = Parser.parse(query);
            } catch (RuntimeException unparsable) {
                return nodes;
            }
            new NodeTraverser().depthFirst(new NodeVisitorStub() {
                @Override
                protected TraversalControl visitNode(Node node, TraverserContext<Node> context) {
                    SourceLocation at = node.getSourceLocation();
                    if (node instanceof VariableDefinition definition) {
                        definitions.add(definition);
                    }
                    if (at != null) {
                        nodes.computeIfAbsent(new SourceLocation(at.getLine(), at.getColumn()), k -> new ArrayList<>()).add(node);
                    }
                    return TraversalControl.CONTINUE;
                }
            }, document);
            return nodes;
        }
    }
}

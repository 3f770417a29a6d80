package dev.aiusage.graphql;

import graphql.GraphQLContext;
import graphql.execution.ValuesResolver;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.DataFetchingEnvironmentImpl;
import graphql.schema.GraphQLArgument;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An explicit {@code null} for an argument that has a default means the default. GraphQL passes such a null
 * through as it is (the default applies only to an argument left out), which is rarely what a client that
 * builds its variables from optional values means; the fetchers then see the value the schema documents.
 */
final class ExplicitNullDefaults extends SimplePerformantInstrumentation {

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> dataFetcher, InstrumentationFieldFetchParameters parameters,
                                                InstrumentationState state) {
        if (parameters.isTrivialDataFetcher()) {
            return dataFetcher;
        }
        return env -> dataFetcher.get(withDefaults(env));
    }

    private static DataFetchingEnvironment withDefaults(DataFetchingEnvironment env) {
        Map<String, Object> arguments = env.getArguments();
        Map<String, Object> replaced = null;
        for (GraphQLArgument argument : env.getFieldDefinition().getArguments()) {
            String name = argument.getName();
            if (arguments.containsKey(name) && arguments.get(name) == null && argument.hasSetDefaultValue()) {
                if (replaced == null) {
                    replaced = new HashMap<>(arguments);
                }
                GraphQLContext context = env.getGraphQlContext();
                Locale locale = env.getLocale() == null ? Locale.ROOT : env.getLocale();
                replaced.put(name, ValuesResolver.valueToInternalValue(argument.getArgumentDefaultValue(), argument.getType(), context, locale));
            }
        }
        if (replaced == null) {
            return env;
        }
        return DataFetchingEnvironmentImpl.newDataFetchingEnvironment(env).arguments(replaced).build();
    }
}

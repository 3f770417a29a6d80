package dev.aiusage.graphql;

import dev.aiusage.access.Access;
import dev.aiusage.access.AccessFilter;
import io.micronaut.configuration.graphql.DefaultGraphQLExecutionInputCustomizer;
import io.micronaut.configuration.graphql.GraphQLExecutionInputCustomizer;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import graphql.ExecutionInput;
import org.reactivestreams.Publisher;

/** Hands the caller decided by the HTTP filter to every fetcher, through the GraphQL context. */
@Singleton
@Replaces(DefaultGraphQLExecutionInputCustomizer.class)
class AccessInputCustomizer implements GraphQLExecutionInputCustomizer {

    @Override
    public Publisher<ExecutionInput> customize(ExecutionInput input, HttpRequest httpRequest,
                                               MutableHttpResponse<String> httpResponse) {
        httpRequest.getAttribute(AccessFilter.ATTRIBUTE, Access.class)
                .ifPresent(access -> input.getGraphQLContext().put(Access.class, access));
        return Publishers.just(input);
    }
}

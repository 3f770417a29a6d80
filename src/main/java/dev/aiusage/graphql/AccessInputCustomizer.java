package dev.aiusage.graphql;

import dev.aiusage.access.Access;
import dev.aiusage.access.AccessFilter;
import dev.aiusage.store.QueryBudget;
import dev.aiusage.store.ReadBudget;
import io.micronaut.configuration.graphql.DefaultGraphQLExecutionInputCustomizer;
import io.micronaut.configuration.graphql.GraphQLExecutionInputCustomizer;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import graphql.ExecutionInput;
import org.reactivestreams.Publisher;

/**
 * Hands every fetcher, through the GraphQL context, the caller decided by the HTTP filter and the deadline of
 * the request's reads, which starts when the request reaches GraphQL.
 */
@Singleton
@Replaces(DefaultGraphQLExecutionInputCustomizer.class)
class AccessInputCustomizer implements GraphQLExecutionInputCustomizer {
    private final ReadBudget readBudget;

    AccessInputCustomizer(ReadBudget readBudget) {
        this.readBudget = readBudget;
    }

    @Override
    public Publisher<ExecutionInput> customize(ExecutionInput input, HttpRequest httpRequest,
                                               MutableHttpResponse<String> httpResponse) {
        httpRequest.getAttribute(AccessFilter.ATTRIBUTE, Access.class)
                .ifPresent(access -> input.getGraphQLContext().put(Access.class, access));
        input.getGraphQLContext().put(QueryBudget.Deadline.class, readBudget.start());
        return Publishers.just(input);
    }
}

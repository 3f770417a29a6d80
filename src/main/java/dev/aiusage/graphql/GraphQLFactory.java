package dev.aiusage.graphql;

import graphql.GraphQL;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Parallel;
import io.micronaut.core.io.ResourceResolver;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds the GraphQL engine from the SDL in {@code schema/} and wires every field to its fetcher: the one
 * place to read to see which code answers which field. Start-up fails if a schema file is missing or a
 * wiring does not match the SDL.
 */
@Factory
class GraphQLFactory {
    /** One file per domain; the order does not matter. */
    static final List<String> SCHEMA_FILES = List.of(
            "common", "ingest", "records", "analytics", "substitution", "report", "admin");

    /**
     * Built while the server starts, in parallel with the rest of start-up, rather than on the first request:
     * the first query is answered sooner, and a broken schema stops the service at start.
     */
    @Context
    @Parallel
    @Singleton
    GraphQL graphQL(ResourceResolver resources, Fetchers fetchers) {
        TypeDefinitionRegistry types = new TypeDefinitionRegistry();
        SchemaParser parser = new SchemaParser();
        for (String name : SCHEMA_FILES) {
            String path = "classpath:schema/" + name + ".graphqls";
            try (InputStream in = resources.getResourceAsStream(path)
                    .orElseThrow(() -> new IllegalStateException("GraphQL schema file missing: " + path));
                 Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                types.merge(parser.parse(reader));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(types, wiring(fetchers));
        return GraphQL.newGraphQL(schema)
                .defaultDataFetcherExceptionHandler(new DomainErrorHandler())
                .instrumentation(new ErrorCodeInstrumentation())
                .build();
    }

    private static RuntimeWiring wiring(Fetchers f) {
        return RuntimeWiring.newRuntimeWiring()
                .scalar(Scalars.DATE_TIME)
                .scalar(Scalars.DATE)
                .scalar(Scalars.LONG)
                .type("Query", t -> t
                        .dataFetcher("serviceInfo", f::serviceInfo)
                        .dataFetcher("usageRecords", f::usageRecords)
                        .dataFetcher("costByTeam", f::costByTeam)
                        .dataFetcher("costByWorkflow", f::costByWorkflow)
                        .dataFetcher("modelEfficiency", f::modelEfficiency)
                        .dataFetcher("dailyTrend", f::dailyTrend)
                        .dataFetcher("substitutionOpportunities", f::substitutionOpportunities)
                        .dataFetcher("weeklyReport", f::weeklyReport))
                .type("Mutation", t -> t
                        .dataFetcher("recordUsage", f::recordUsage)
                        .dataFetcher("recordUsageBatch", f::recordUsageBatch)
                        .dataFetcher("rebuildRollups", f::rebuildRollups))
                // a connection's page info is the page itself: RecordPage answers hasNextPage and the cursors
                .type("UsageRecordConnection", t -> t.dataFetcher("pageInfo", env -> env.getSource()))
                .build();
    }
}

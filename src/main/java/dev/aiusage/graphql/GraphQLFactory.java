package dev.aiusage.graphql;

import dev.aiusage.graphql.fetch.AccessFetchers;
import dev.aiusage.graphql.fetch.AdminFetchers;
import dev.aiusage.graphql.fetch.AdoptionFetchers;
import dev.aiusage.graphql.fetch.BillingFetchers;
import dev.aiusage.graphql.fetch.IntakeFetchers;
import dev.aiusage.graphql.fetch.AnalyticsFetchers;
import dev.aiusage.graphql.fetch.CommonFetchers;
import dev.aiusage.graphql.fetch.DeliveryFetchers;
import dev.aiusage.graphql.fetch.IngestFetchers;
import dev.aiusage.graphql.fetch.LiveFetchers;
import dev.aiusage.graphql.fetch.PeopleFetchers;
import dev.aiusage.graphql.fetch.PowerUserFetchers;
import dev.aiusage.graphql.fetch.PricingFetchers;
import dev.aiusage.graphql.fetch.PromptFetchers;
import dev.aiusage.graphql.fetch.RecordFetchers;
import dev.aiusage.graphql.fetch.ReportFetchers;
import dev.aiusage.graphql.fetch.SubstitutionFetchers;
import dev.aiusage.graphql.fetch.BudgetFetchers;
import dev.aiusage.graphql.fetch.TicketFetchers;
import dev.aiusage.graphql.fetch.UsageFetchers;
import graphql.GraphQL;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Parallel;
import io.micronaut.context.annotation.Value;
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
            "common", "ingest", "records", "analytics", "substitution", "report", "delivery", "tickets", "people", "adoption", "powerusers", "prompts", "admin", "access", "live", "usage", "pricing", "billing", "intake", "budgets", "anomalies");

    /**
     * Built while the server starts, in parallel with the rest of start-up, rather than on the first request:
     * the first query is answered sooner, and a broken schema stops the service at start.
     */
    @Context
    @Parallel
    @Singleton
    GraphQL graphQL(ResourceResolver resources, DomainFetchers fetchers,
                    @Value("${aiusage.limits.max-depth:15}") int maxDepth,
                    @Value("${aiusage.limits.max-complexity:500}") int maxComplexity,
                    @Value("${aiusage.limits.max-read-cost:20}") int maxReadCost) {
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
                .preparsedDocumentProvider(new DocumentCache())
                .instrumentation(new ChainedInstrumentation(
                        QueryLimits.depth(maxDepth), QueryLimits.complexity(maxComplexity), QueryLimits.readCost(maxReadCost),
                        new ExplicitNullDefaults(),
                        new ErrorCodeInstrumentation()))
                .build();
    }

    /**
     * Which fetcher answers which field, and who may call it: {@code read} (any key but INGEST; reads are
     * further narrowed to a TEAM key's team by their filter), {@code allTeams} (ADMIN or VIEWER: company-wide
     * outputs), {@code write} (ADMIN or INGEST), {@code admin}.
     */
    /** The fetchers of every schema domain, one class each (in {@code graphql.fetch}). */
    @Singleton
    record DomainFetchers(CommonFetchers common, RecordFetchers records, AnalyticsFetchers analytics,
                          SubstitutionFetchers substitution, ReportFetchers report, DeliveryFetchers delivery,
                          TicketFetchers tickets, PeopleFetchers people, AdoptionFetchers adoption,
                          PowerUserFetchers powerUsers, PromptFetchers prompts, AdminFetchers admin,
                          AccessFetchers access, IngestFetchers ingest, LiveFetchers live, UsageFetchers usage,
                          PricingFetchers pricing, BillingFetchers billing, IntakeFetchers intake, BudgetFetchers budgets) {
    }

    private static RuntimeWiring wiring(DomainFetchers f) {
        return RuntimeWiring.newRuntimeWiring()
                .scalar(Scalars.DATE_TIME)
                .scalar(Scalars.DATE)
                .scalar(Scalars.LONG)
                .type("Query", t -> t
                        .dataFetcher("serviceInfo", Guard.read(f.common()::serviceInfo))
                        .dataFetcher("usageRecords", Guard.read(f.records()::usageRecords))
                        .dataFetcher("costByTeam", Guard.read(f.analytics()::costByTeam))
                        .dataFetcher("costByWorkflow", Guard.read(f.analytics()::costByWorkflow))
                        .dataFetcher("modelEfficiency", Guard.read(f.analytics()::modelEfficiency))
                        .dataFetcher("dailyTrend", Guard.read(f.analytics()::dailyTrend))
                        .dataFetcher("usage", Guard.read(f.usage()::usage))
                        .dataFetcher("substitutionOpportunities", Guard.read(f.substitution()::substitutionOpportunities))
                        .dataFetcher("weeklyReport", Guard.read(f.report()::weeklyReport))
                        .dataFetcher("people", Guard.read(f.people()::people))
                        .dataFetcher("adoption", Guard.read(f.adoption()::adoption))
                        .dataFetcher("adoptionTrend", Guard.read(f.adoption()::adoptionTrend))
                        .dataFetcher("powerUsers", Guard.read(f.powerUsers()::powerUsers))
                        .dataFetcher("promptInsights", Guard.read(f.prompts()::promptInsights))
                        .dataFetcher("reportDeliveries", Guard.allTeams(f.delivery()::reportDeliveries))
                        .dataFetcher("reportSchedule", Guard.allTeams(f.delivery()::reportSchedule))
                        .dataFetcher("substitutionTickets", Guard.allTeams(f.tickets()::substitutionTickets))
                        .dataFetcher("apiKeys", Guard.admin(f.access()::apiKeys))
                        .dataFetcher("priceCatalog", Guard.read(f.pricing()::priceCatalog))
                        .dataFetcher("customPrices", Guard.read(f.pricing()::customPrices))
                        .dataFetcher("prices", Guard.read(f.pricing()::prices))
                        .dataFetcher("priceQuote", Guard.read(f.pricing()::priceQuote))
                        .dataFetcher("unpricedUsage", Guard.read(f.pricing()::unpricedUsage))
                        .dataFetcher("failedCalls", Guard.read(f.intake()::failedCalls))
                        .dataFetcher("budgets", Guard.read(f.budgets()::budgets))
                        .dataFetcher("anomalies", Guard.read(f.budgets()::anomalies))
                        .dataFetcher("reconciliation", Guard.allTeams(f.billing()::reconciliation))
                        .dataFetcher("currentAccess", Guard::access))
                .type("Subscription", t -> t
                        .dataFetcher("usageRecorded", Guard.read(f.live()::usageRecorded)))
                .type("Mutation", t -> t
                        .dataFetcher("recordUsage", Guard.write(f.ingest()::recordUsage))
                        .dataFetcher("recordUsageBatch", Guard.write(f.ingest()::recordUsageBatch))
                        .dataFetcher("rebuildRollups", Guard.admin(f.admin()::rebuildRollups))
                        .dataFetcher("sendWeeklyReport", Guard.admin(f.delivery()::sendWeeklyReport))
                        .dataFetcher("upsertPeople", Guard.admin(f.people()::upsertPeople))
                        .dataFetcher("recordAccessEvents", Guard.admin(f.people()::recordAccessEvents))
                        .dataFetcher("fileSubstitutionTickets", Guard.admin(f.tickets()::fileSubstitutionTickets))
                        .dataFetcher("createApiKey", Guard.admin(f.access()::createApiKey))
                        .dataFetcher("revokeApiKey", Guard.admin(f.access()::revokeApiKey))
                        .dataFetcher("setCustomPrice", Guard.admin(f.pricing()::setCustomPrice))
                        .dataFetcher("deleteCustomPrice", Guard.admin(f.pricing()::deleteCustomPrice))
                        .dataFetcher("repriceUsage", Guard.admin(f.pricing()::repriceUsage))
                        .dataFetcher("importBilledCosts", Guard.admin(f.billing()::importBilledCosts))
                        .dataFetcher("setBudget", Guard.admin(f.budgets()::setBudget))
                        .dataFetcher("deleteBudget", Guard.admin(f.budgets()::deleteBudget)))
                // a connection's page info is the page itself: RecordPage answers hasNextPage and the cursors
                .type("UsageRecordConnection", t -> t.dataFetcher("pageInfo", env -> env.getSource()))
                .type("UsageRecord", t -> t.dataFetcher("promptTemplate", RecordFetchers::promptTemplate)
                        .dataFetcher("serviceTier", PricingFetchers::serviceTier)
                        .dataFetcher("costSource", PricingFetchers::costSource))
                .build();
    }
}

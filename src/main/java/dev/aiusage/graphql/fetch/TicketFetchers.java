package dev.aiusage.graphql.fetch;

import dev.aiusage.tickets.SubstitutionTicket;
import dev.aiusage.tickets.TicketRun;
import dev.aiusage.tickets.TicketService;
import graphql.schema.DataFetchingEnvironment;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * The fetchers of {@code schema/tickets.graphqls}: substitution tickets in Jira or ClickUp. Each reads its
 * arguments, makes one service call and returns; {@code GraphQLFactory} wires them to the schema.
 */
@Singleton
public class TicketFetchers {
    private final TicketService tickets;
    private final ExecutorService io;

    TicketFetchers(TicketService tickets, @Named(TaskExecutors.IO) ExecutorService io) {
        this.tickets = tickets;
        this.io = io;
    }

    public List<SubstitutionTicket> substitutionTickets(DataFetchingEnvironment env) {
        return tickets.tickets();
    }

    public CompletableFuture<TicketRun> fileSubstitutionTickets(DataFetchingEnvironment env) {
        boolean dryRun = env.getArgumentOrDefault("dryRun", false);
        return CompletableFuture.supplyAsync(() -> tickets.run(dryRun), io);
    }
}

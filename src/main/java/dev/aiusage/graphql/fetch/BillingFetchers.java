package dev.aiusage.graphql.fetch;

import dev.aiusage.billing.Reconciliation;
import graphql.schema.DataFetchingEnvironment;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * The fetchers of {@code schema/billing.graphqls}: the import of a provider's cost export and the reconciliation of
 * bills with logged spend. Each reads its arguments, makes one service call and returns; {@code GraphQLFactory}
 * wires them to the schema.
 */
@Singleton
public class BillingFetchers {
    private final Reconciliation reconciliation;
    private final Clock clock;

    BillingFetchers(Reconciliation reconciliation, Clock clock) {
        this.reconciliation = reconciliation;
        this.clock = clock;
    }

    public Reconciliation.ImportResult importBilledCosts(DataFetchingEnvironment env) {
        return reconciliation.importBill(env.getArgument("provider"), env.getArgument("format"), env.getArgument("document"));
    }

    public Reconciliation.Report reconciliation(DataFetchingEnvironment env) {
        return reconciliation.reconcile(Arguments.window(env, clock), env.getArgument("provider"));
    }
}

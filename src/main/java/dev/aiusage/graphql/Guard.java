package dev.aiusage.graphql;

import dev.aiusage.access.Access;
import dev.aiusage.access.ForbiddenException;
import dev.aiusage.store.QueryBudget;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;

/** Who may call a field, checked before its fetcher runs. */
public final class Guard {
    private Guard() {
    }

    /** The caller of this request; a request that did not pass the access filter may do nothing. */
    public static Access access(DataFetchingEnvironment env) {
        Access access = env.getGraphQlContext().get(Access.class);
        if (access == null) {
            throw new ForbiddenException(null, "no access was decided for this request");
        }
        return access;
    }

    /** A read runs within the request's time budget: its statements stop at the deadline. */
    static <T> DataFetcher<T> read(DataFetcher<T> fetcher) {
        return env -> {
            access(env).requireRead();
            return QueryBudget.within(env.getGraphQlContext().get(QueryBudget.Deadline.class), () -> fetcher.get(env));
        };
    }

    /** Company-wide outputs (report deliveries, tickets, reconciliation): ADMIN or VIEWER; reads, so within the time budget. */
    static <T> DataFetcher<T> allTeams(DataFetcher<T> fetcher) {
        return env -> {
            access(env).requireAllTeams();
            return QueryBudget.within(env.getGraphQlContext().get(QueryBudget.Deadline.class), () -> fetcher.get(env));
        };
    }

    static <T> DataFetcher<T> write(DataFetcher<T> fetcher) {
        return env -> {
            access(env).requireWrite();
            return fetcher.get(env);
        };
    }

    static <T> DataFetcher<T> admin(DataFetcher<T> fetcher) {
        return env -> {
            access(env).requireAdmin();
            return fetcher.get(env);
        };
    }
}

package dev.aiusage.graphql.fetch;

import dev.aiusage.access.Access;
import dev.aiusage.access.Role;
import dev.aiusage.domain.Names;
import dev.aiusage.graphql.Guard;
import dev.aiusage.intake.FailedCallGroup;
import dev.aiusage.intake.FailedCalls;
import graphql.schema.DataFetchingEnvironment;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;

/**
 * The fetchers of {@code schema/intake.graphqls}: the failed calls the intake kept apart. Each reads its arguments,
 * makes one service call and returns; {@code GraphQLFactory} wires them to the schema.
 */
@Singleton
public class IntakeFetchers {
    private final FailedCalls failures;
    private final Clock clock;

    IntakeFetchers(FailedCalls failures, Clock clock) {
        this.failures = failures;
        this.clock = clock;
    }

    public List<FailedCallGroup> failedCalls(DataFetchingEnvironment env) {
        Access access = Guard.access(env);
        String team = env.getArgument("team");
        if (team != null) {
            team = Names.require("team", team);
            access.requireTeam(team);
        } else {
            access.requireRead();
            if (access.role() == Role.TEAM) {
                team = access.team();
            }
        }
        return failures.groups(Arguments.window(env, clock), team);
    }
}

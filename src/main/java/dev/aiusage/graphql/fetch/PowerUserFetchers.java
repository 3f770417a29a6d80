package dev.aiusage.graphql.fetch;

import dev.aiusage.analysis.PowerUserService;
import dev.aiusage.analysis.PowerUsers;
import dev.aiusage.domain.Names;
import dev.aiusage.graphql.Guard;
import graphql.schema.DataFetchingEnvironment;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * The fetchers of {@code schema/powerusers.graphqls}: a team's heaviest users. Each reads its arguments, makes
 * one service call and returns; {@code GraphQLFactory} wires them to the schema.
 */
@Singleton
public class PowerUserFetchers {
    private final PowerUserService powerUsers;
    private final Clock clock;

    PowerUserFetchers(PowerUserService powerUsers, Clock clock) {
        this.powerUsers = powerUsers;
        this.clock = clock;
    }

    public PowerUsers powerUsers(DataFetchingEnvironment env) {
        String team = Names.require("team", env.getArgument("team"));
        Guard.access(env).requireTeam(team);
        return powerUsers.powerUsers(team, Arguments.window(env, clock), env.getArgumentOrDefault("limit", 10));
    }
}

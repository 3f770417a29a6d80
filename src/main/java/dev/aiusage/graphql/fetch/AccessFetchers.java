package dev.aiusage.graphql.fetch;

import dev.aiusage.access.ApiKey;
import dev.aiusage.access.ApiKeyService;
import dev.aiusage.access.CreatedApiKey;
import dev.aiusage.access.Role;
import graphql.schema.DataFetchingEnvironment;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * The fetchers of {@code schema/access.graphqls}: aPI keys: list, create, revoke. Each reads its arguments,
 * makes one service call and returns; {@code GraphQLFactory} wires them to the schema.
 */
@Singleton
public class AccessFetchers {
    private final ApiKeyService keys;

    AccessFetchers(ApiKeyService keys) {
        this.keys = keys;
    }

    public List<ApiKey> apiKeys(DataFetchingEnvironment env) {
        return keys.list();
    }

    public CreatedApiKey createApiKey(DataFetchingEnvironment env) {
        return keys.create(env.getArgument("name"), Role.valueOf(env.getArgument("role")), env.getArgument("team"));
    }

    public ApiKey revokeApiKey(DataFetchingEnvironment env) {
        return keys.revoke(Arguments.id(env.getArgument("id")));
    }
}

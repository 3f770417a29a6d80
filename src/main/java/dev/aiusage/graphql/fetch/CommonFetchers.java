package dev.aiusage.graphql.fetch;

import dev.aiusage.analysis.ServiceInfo;
import dev.aiusage.analysis.ServiceInfoService;
import dev.aiusage.graphql.Guard;
import graphql.schema.DataFetchingEnvironment;
import jakarta.inject.Singleton;

/**
 * The fetchers of {@code schema/common.graphqls}: the service itself: its version, records and time span. Each
 * reads its arguments, makes one service call and returns; {@code GraphQLFactory} wires them to the schema.
 */
@Singleton
public class CommonFetchers {
    private final ServiceInfoService info;

    CommonFetchers(ServiceInfoService info) {
        this.info = info;
    }

    public ServiceInfo serviceInfo(DataFetchingEnvironment env) {
        return info.current(Guard.access(env).team());
    }
}

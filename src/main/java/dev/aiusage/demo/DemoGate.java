package dev.aiusage.demo;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * In demo mode, holds requests to the data endpoints until the demo data is stored, so that no answer ever
 * shows half of it. The load runs beside start-up and is done about when the server listens; the wait runs on
 * the blocking pool, never on the event loop.
 */
@ServerFilter({"/graphql", "/graphql/**", "/usage/**", "/people/**"})
@Requires(property = "aiusage.demo.enabled", value = "true")
class DemoGate implements Ordered {
    private final DemoLoader loader;

    DemoGate(DemoLoader loader) {
        this.loader = loader;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    HttpResponse<?> afterTheDemoData() {
        loader.loaded().join();
        return null;
    }

    /** In the security phase: after CORS, which answers a browser's preflight before any key is asked for. */
    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }
}

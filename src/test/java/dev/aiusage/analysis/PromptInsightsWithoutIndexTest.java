package dev.aiusage.analysis;

import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;

/**
 * The same hand-worked figures with the in-memory indexes stepped aside (no room for a day cell), so the prompt
 * rollup answers in SQL: whole days from its rows, the partial days from the records.
 */
@MicronautTest(transactional = false)
@Property(name = "aiusage.store.index.max-day-cells", value = "0")
class PromptInsightsWithoutIndexTest extends PromptInsightsTest {
    @Override
    String indexState() {
        return "OFF";
    }
}

package dev.aiusage.analysis;

import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;

/**
 * The same checks with the in-memory indexes stepped aside (no room for a single day cell), so the rollups in SQL
 * answer every read, the path a company past {@code max-day-cells} takes and the one the indexes' answers must equal.
 */
@MicronautTest(transactional = false)
@Property(name = "aiusage.store.index.max-day-cells", value = "0")
class RollupEquivalenceWithoutIndexTest extends RollupEquivalenceTest {
    @Override
    String indexState() {
        return "OFF";
    }
}

package dev.aiusage.analysis;

import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;

/**
 * The same checks with the in-memory index's views given no room, so every read the index answers sums
 * combination by combination (the path a company with more groups than {@code max-view-cells} takes).
 */
@MicronautTest(transactional = false)
@Property(name = "aiusage.store.index.max-view-cells", value = "0")
class RollupEquivalenceWithoutViewsTest extends RollupEquivalenceTest {
}

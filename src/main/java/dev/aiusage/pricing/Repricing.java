package dev.aiusage.pricing;

import dev.aiusage.domain.BadInputException;
import dev.aiusage.store.Repricer;
import dev.aiusage.store.UsageRecord;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;

/**
 * {@code repriceUsage}: the stored calls of a range priced again by the catalog as it is now. Unpriced and
 * catalog-priced calls take the catalog's cost (or stay unpriced); reported costs stay, with the catalog's figure
 * beside them brought up to date.
 */
@Singleton
public class Repricing {
    /** The longest range one call reprices. */
    static final Duration MAX_RANGE = Duration.ofDays(400);

    private final Repricer repricer;
    private final PriceCatalog catalog;

    Repricing(Repricer repricer, PriceCatalog catalog) {
        this.repricer = repricer;
        this.catalog = catalog;
    }

    public Repricer.Result reprice(Instant from, Instant to) {
        if (!to.isAfter(from)) {
            throw new BadInputException("to", "to must be after from");
        }
        if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw new BadInputException("to", "a repricing covers at most 400 days; split the range");
        }
        return repricer.reprice(from, to, "from", catalog::apply);
    }
}

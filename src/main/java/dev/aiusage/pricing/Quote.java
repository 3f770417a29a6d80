package dev.aiusage.pricing;

import java.math.BigDecimal;

/**
 * What the catalog says a call cost: the price entry used (and its ref, with the service tier's factor when the
 * tier has no price of its own), the cost by kind; or, when nothing prices the call, why not.
 */
public record Quote(PriceEntry entry, String ref, ServiceTier tier, BigDecimal factor, PriceEntry.CostParts parts,
                    String unpricedReason) {

    static Quote unpriced(ServiceTier tier, String reason) {
        return new Quote(null, null, tier, null, null, reason);
    }

    public boolean priced() {
        return entry != null;
    }

    /** The cost at the stored scale; null when unpriced. */
    public BigDecimal cost() {
        return parts == null ? null : parts.total();
    }
}

package dev.aiusage.pricing;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** One price list as the API shows it ({@code Price} in {@code schema/pricing.graphqls}): a shipped entry or a custom price. */
public record PriceView(String id, String origin, String provider, String model, List<String> aliases, String pattern,
                        int priority, Instant effectiveFrom, Instant effectiveTo, String dailyFrom, String dailyTo,
                        ServiceTier serviceTier, Rates rates, List<LongContextTier> longContext, String note) {

    static PriceView shipped(String provider, String model, PriceEntry entry) {
        return new PriceView(entry.ref(), "SHIPPED", provider, model, List.of(), null, 0, entry.from(), entry.to(),
                entry.dailyFrom() == null ? null : entry.dailyFrom().toString(), entry.dailyTo() == null ? null : entry.dailyTo().toString(),
                entry.tier(), entry.rates(), entry.longContext(), null);
    }

    public static PriceView custom(CustomPrice price) {
        return new PriceView(price.ref(), "CUSTOM", price.provider(), price.model(),
                price.aliases() == null ? List.of() : Arrays.stream(price.aliases().split("\n")).filter(a -> !a.isBlank()).toList(),
                price.pattern(), price.priority(), price.effectiveFrom(), price.effectiveTo(), null, null,
                ServiceTier.ofCode(price.serviceTier()), price.rates(), CustomPrices.tiers(price.longContext()), price.note());
    }
}

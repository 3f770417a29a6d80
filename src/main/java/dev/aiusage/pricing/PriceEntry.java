package dev.aiusage.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;

/**
 * One dated price list of one model: in effect for calls with {@code from <= ts < to} (null: unbounded) and, when
 * {@code dailyFrom} is set, only in that daily UTC interval (off-peak prices); for one service tier. {@code ref}
 * names it in every record it priced.
 */
public record PriceEntry(String ref, Instant from, Instant to, LocalTime dailyFrom, LocalTime dailyTo, ServiceTier tier,
                         Rates rates, List<LongContextTier> longContext) {
    public static final int COST_SCALE = 10;
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    public PriceEntry {
        longContext = longContext.stream().sorted(Comparator.comparingLong(LongContextTier::aboveInputTokens)).toList();
    }

    /** Whether the entry applies to a call at {@code ts}. */
    boolean inEffect(Instant ts) {
        if (from != null && ts.isBefore(from) || to != null && !ts.isBefore(to)) {
            return false;
        }
        if (dailyFrom == null) {
            return true;
        }
        LocalTime time = LocalTime.ofInstant(ts, ZoneOffset.UTC);
        if (dailyTo.isBefore(dailyFrom)) {
            return !time.isBefore(dailyFrom) || time.isBefore(dailyTo);
        }
        return !time.isBefore(dailyFrom) && time.isBefore(dailyTo);
    }

    /** The rates a call with these tokens pays: the highest long-context tier it passes, else the base rates. */
    Rates ratesFor(TokenUsage usage) {
        Rates chosen = rates;
        for (LongContextTier tier : longContext) {
            if (usage.input() > tier.aboveInputTokens()) {
                chosen = tier.rates();
            }
        }
        return chosen;
    }

    /**
     * What a call with {@code usage} costs by these prices, times {@code factor} (a service tier's discount, 1 for
     * the entry's own tier). Each kind's tokens are its own minus the parts priced apart, so no token is priced
     * twice and none is left out: uncached input = input − cache reads − cache writes, when those have prices.
     */
    CostParts cost(TokenUsage usage, BigDecimal factor) {
        Rates r = ratesFor(usage);
        long write1h = r.cacheWrite1h() != null ? usage.cacheWrite1h() : 0;
        long write = r.cacheWrite() != null ? usage.cacheWrite() - write1h : 0;
        long read = r.cacheRead() != null ? usage.cacheRead() : 0;
        long input = usage.input() - read - write - write1h;
        long reasoning = r.reasoning() != null ? usage.reasoning() : 0;
        long output = usage.output() - reasoning;
        BigDecimal cacheWrite = tokens(r.cacheWrite(), write, factor).add(tokens(r.cacheWrite1h(), write1h, factor));
        return new CostParts(tokens(r.input(), input, factor), tokens(r.cacheRead(), read, factor), cacheWrite,
                tokens(r.output(), output, factor), tokens(r.reasoning(), reasoning, factor),
                r.perRequest() == null ? BigDecimal.ZERO : r.perRequest().multiply(factor));
    }

    private static BigDecimal tokens(BigDecimal perMillion, long tokens, BigDecimal factor) {
        if (perMillion == null || tokens == 0) {
            return BigDecimal.ZERO;
        }
        return perMillion.multiply(BigDecimal.valueOf(tokens)).multiply(factor).divide(MILLION);
    }

    /** A call's cost by kind, exact (no rounding until {@link #total}). */
    public record CostParts(BigDecimal uncachedInput, BigDecimal cacheRead, BigDecimal cacheWrite, BigDecimal output,
                            BigDecimal reasoning, BigDecimal requestFee) {
        /** The whole, rounded half-even to the stored scale of 10 places. */
        public BigDecimal total() {
            return uncachedInput.add(cacheRead).add(cacheWrite).add(output).add(reasoning).add(requestFee)
                    .setScale(COST_SCALE, RoundingMode.HALF_EVEN);
        }
    }
}

package dev.aiusage.pricing;

import dev.aiusage.domain.JsonTree;
import dev.aiusage.store.UsageRecord;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Prices calls. The custom and contract prices (ADMIN, through GraphQL) win; then the shipped catalog
 * ({@code prices/catalog.json}, converted from genai-prices, or the file {@code aiusage.pricing.catalog} names),
 * resolved as genai-prices resolves it: the provider by its id or its provider match (a {@code litellm} provider with
 * a {@code provider/model} name by the prefix), the model by the first entry of the provider whose match takes the
 * name (lower-cased and trimmed), else the provider's fallback providers, else the name with a {@code -YYYYMMDD}
 * date written {@code -YYYY-MM-DD}; of the model's entries, the last in effect at the call's time. A service tier
 * without a price of its own takes the standard price times the provider's documented factor
 * ({@code prices/service-tiers.json}); one without either is unpriced: never a silent standard rate, never zero.
 */
@Singleton
public class PriceCatalog {
    /** Custom prices are read again at most this often, so that other instances see a new one within it. */
    static final long CUSTOM_REFRESH_MILLIS = 2000;
    private static final int MAX_RESOLVED = 20_000;

    private final CatalogFile shipped;
    private final List<TierFactor> factors;
    private final CustomPriceRepository customs;
    private final Clock clock;
    private final Map<String, Optional<Resolved>> resolved = new ConcurrentHashMap<>();
    private volatile CustomSnapshot custom;

    record TierFactor(String provider, ServiceTier tier, BigDecimal factor, String source) {
    }

    /** A shipped model as resolved for a provider and model name. */
    record Resolved(CatalogFile.Provider provider, CatalogFile.Model model) {
    }

    private record Compiled(CustomPrice price, PriceEntry entry, List<String> names, Pattern pattern) {
    }

    private record CustomSnapshot(List<Compiled> prices, long loadedAt) {
    }

    PriceCatalog(@Value("${aiusage.pricing.catalog:}") String catalogFile, CustomPriceRepository customs, Clock clock) {
        this.customs = customs;
        this.clock = clock;
        try (InputStream in = catalogFile.isBlank() ? resource("prices/catalog.json") : Files.newInputStream(Path.of(catalogFile))) {
            this.shipped = CatalogFile.fromJson(JsonTree.read(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the price catalog " + (catalogFile.isBlank() ? "prices/catalog.json" : catalogFile), e);
        }
        try (InputStream in = resource("prices/service-tiers.json")) {
            this.factors = tierFactors(JsonTree.read(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = PriceCatalog.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the class path");
        }
        return in;
    }

    @SuppressWarnings("unchecked")
    private static List<TierFactor> tierFactors(Object json) {
        List<TierFactor> list = new ArrayList<>();
        for (Object t : (List<Object>) ((Map<String, Object>) json).get("tiers")) {
            Map<String, Object> tier = (Map<String, Object>) t;
            list.add(new TierFactor((String) tier.get("provider"), ServiceTier.ofCode((String) tier.get("tier")),
                    (BigDecimal) tier.get("factor"), (String) tier.get("source")));
        }
        return List.copyOf(list);
    }

    /** Where the shipped prices came from (source, commit, dates). */
    public Map<String, Object> source() {
        return shipped.source();
    }

    public int shippedProviders() {
        return shipped.providers().size();
    }

    public int shippedModels() {
        return shipped.providers().stream().mapToInt(p -> p.models().size()).sum();
    }

    /**
     * The record priced: a reported cost stays (source REPORTED) with the catalog's figure and price beside it; a record
     * without one takes the catalog's cost (CATALOG), or, when nothing prices it, is UNPRICED at cost 0 (counted in
     * every answer, listed by unpricedUsage, priced later by repriceUsage).
     */
    public UsageRecord apply(UsageRecord r) {
        Quote quote = quote(r);
        if (r.costSource() == UsageRecord.REPORTED) {
            return r.priced(r.costUsd(), UsageRecord.REPORTED, quote.cost(), quote.ref(), quote.priced() ? split(quote.parts(), r.costUsd()) : null);
        }
        return quote.priced() ? r.priced(quote.cost(), UsageRecord.CATALOG, quote.cost(), quote.ref(), split(quote.parts(), quote.cost()))
                : r.priced(BigDecimal.ZERO.setScale(PriceEntry.COST_SCALE), UsageRecord.UNPRICED, null, null, null);
    }

    /**
     * The cost by kind of a call costing {@code cost}: the catalog's parts, scaled to {@code cost} when it differs from
     * theirs (a reported cost, split in its catalog price's proportions), each rounded half-even to 10 places; null when
     * the catalog's parts sum to nothing to split by.
     */
    static UsageRecord.CostSplit split(PriceEntry.CostParts parts, BigDecimal cost) {
        BigDecimal whole = parts.total();
        if (whole.signum() == 0) {
            return null;
        }
        BigDecimal scale = cost.compareTo(whole) == 0 ? BigDecimal.ONE : cost.divide(whole, java.math.MathContext.DECIMAL128);
        java.util.function.UnaryOperator<BigDecimal> part = v -> v.multiply(scale).setScale(PriceEntry.COST_SCALE, java.math.RoundingMode.HALF_EVEN);
        return new UsageRecord.CostSplit(part.apply(parts.uncachedInput()), part.apply(parts.cacheRead()), part.apply(parts.cacheWrite()),
                part.apply(parts.output()), part.apply(parts.reasoning()));
    }

    /** What the catalog says the stored call {@code r} cost. */
    public Quote quote(UsageRecord r) {
        ServiceTier tier = ServiceTier.ofStored(r.serviceTier());
        return quote(r.provider(), r.model(), r.ts(), tier, TokenUsage.of(r.inputTokens(), r.cacheReadTokens(), r.cacheWriteTokens(),
                r.cacheWrite1hTokens(), r.outputTokens(), r.reasoningTokens()));
    }

    /** What the catalog says a call of {@code model} at {@code ts} with {@code usage} costs, or why it cannot say. */
    public Quote quote(String provider, String model, Instant ts, ServiceTier tier, TokenUsage usage) {
        Optional<Resolved> ship = resolve(provider, model);
        List<Compiled> mine = customFor(provider, model, ts);
        PriceEntry entry;
        // 1: a custom price for the tier; 2: a custom standard price times the tier's factor
        if ((entry = firstOfTier(mine, tier)) != null) {
            return priced(entry, entry.ref(), tier, BigDecimal.ONE, usage);
        }
        String providerId = ship.map(r -> r.provider().id()).orElse(provider.toLowerCase(Locale.ROOT).trim());
        BigDecimal factor = tier == ServiceTier.STANDARD ? BigDecimal.ONE : factor(providerId, tier);
        if (tier != ServiceTier.STANDARD && factor != null && (entry = firstOfTier(mine, ServiceTier.STANDARD)) != null) {
            return priced(entry, entry.ref() + "*" + factor.stripTrailingZeros().toPlainString(), tier, factor, usage);
        }
        if (ship.isEmpty()) {
            return Quote.unpriced(tier, mine.isEmpty() ? "no price for this provider and model" : "no price for service tier " + tier.code());
        }
        List<PriceEntry> entries = ship.get().model().prices();
        if ((entry = lastInEffect(entries, ts, tier)) != null) {
            return priced(entry, entry.ref(), tier, BigDecimal.ONE, usage);
        }
        if (tier != ServiceTier.STANDARD && factor != null && (entry = lastInEffect(entries, ts, ServiceTier.STANDARD)) != null) {
            return priced(entry, entry.ref() + "*" + factor.stripTrailingZeros().toPlainString(), tier, factor, usage);
        }
        return Quote.unpriced(tier, tier == ServiceTier.STANDARD ? "no price in effect at this time"
                : "no price for service tier " + tier.code());
    }

    private static Quote priced(PriceEntry entry, String ref, ServiceTier tier, BigDecimal factor, TokenUsage usage) {
        return new Quote(entry, ref, tier, factor, entry.cost(usage, factor), null);
    }

    private BigDecimal factor(String providerId, ServiceTier tier) {
        for (TierFactor f : factors) {
            if (f.provider().equals(providerId) && f.tier() == tier) {
                return f.factor();
            }
        }
        return null;
    }

    private static PriceEntry firstOfTier(List<Compiled> prices, ServiceTier tier) {
        for (Compiled c : prices) {
            if (c.entry().tier() == tier) {
                return c.entry();
            }
        }
        return null;
    }

    private static PriceEntry lastInEffect(List<PriceEntry> entries, Instant ts, ServiceTier tier) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            PriceEntry e = entries.get(i);
            if (e.tier() == tier && e.inEffect(ts)) {
                return e;
            }
        }
        return null;
    }

    /** The shipped model a provider and model name resolve to, as genai-prices resolves them. */
    Optional<Resolved> resolve(String provider, String model) {
        String key = provider + '\u0000' + model;
        Optional<Resolved> found = resolved.get(key);
        if (found == null) {
            found = Optional.ofNullable(resolveUncached(provider.toLowerCase(Locale.ROOT).trim(), model.toLowerCase(Locale.ROOT).trim()));
            if (resolved.size() >= MAX_RESOLVED) {
                resolved.clear();
            }
            resolved.put(key, found);
        }
        return found;
    }

    private Resolved resolveUncached(String providerId, String model) {
        CatalogFile.Provider provider = providerById(providerId);
        if (provider == null && providerId.equals("litellm")) {
            int slash = model.indexOf('/');
            if (slash > 0 && slash < model.length() - 1 && providerById(model.substring(0, slash)) != null) {
                provider = providerById(model.substring(0, slash));
                model = model.substring(slash + 1);
            } else {
                for (CatalogFile.Provider p : shipped.providers()) {
                    if (p.modelMatch() != null && p.modelMatch().test(model)) {
                        provider = p;
                        break;
                    }
                }
            }
        }
        if (provider == null) {
            return null;
        }
        CatalogFile.Model found = model(provider, model, true);
        if (found == null) {
            String dated = withDashedDate(model);
            if (!dated.equals(model)) {
                found = model(provider, dated, true);
            }
        }
        return found == null ? null : new Resolved(provider, found);
    }

    private CatalogFile.Provider providerById(String id) {
        for (CatalogFile.Provider p : shipped.providers()) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        for (CatalogFile.Provider p : shipped.providers()) {
            if (p.match() != null && p.match().test(id)) {
                return p;
            }
        }
        return null;
    }

    private CatalogFile.Model model(CatalogFile.Provider provider, String model, boolean withFallbacks) {
        for (CatalogFile.Model m : provider.models()) {
            if (m.match().test(model)) {
                return m;
            }
        }
        if (withFallbacks) {
            for (String fallback : provider.fallbacks()) {
                for (CatalogFile.Provider p : shipped.providers()) {
                    if (p.id().equals(fallback)) {
                        CatalogFile.Model m = model(p, model, false);
                        if (m != null) {
                            return m;
                        }
                    }
                }
            }
        }
        return null;
    }

    private static final Pattern COMPACT_DATE = Pattern.compile("(-)(20\\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])(?=-|:|$)");

    /** {@code claude-3-5-sonnet-20240620} as {@code claude-3-5-sonnet-2024-06-20}, for names written either way. */
    static String withDashedDate(String model) {
        return COMPACT_DATE.matcher(model).replaceAll(m -> {
            try {
                java.time.LocalDate.of(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
                return m.group(1) + m.group(2) + "-" + m.group(3) + "-" + m.group(4);
            } catch (java.time.DateTimeException e) {
                return m.group();
            }
        });
    }

    /** Custom prices for this provider and model in effect at {@code ts} (null: at any time), the one that wins first. */
    private List<Compiled> customFor(String provider, String model, Instant ts) {
        List<Compiled> all = customPrices();
        if (all.isEmpty()) {
            return List.of();
        }
        String p = provider.trim().toLowerCase(Locale.ROOT);
        String m = model.trim().toLowerCase(Locale.ROOT);
        List<Compiled> matching = new ArrayList<>();
        for (Compiled c : all) {
            if (c.price().provider().toLowerCase(Locale.ROOT).equals(p) && (ts == null || c.entry().inEffect(ts))
                    && (c.names().contains(m) || c.pattern() != null && fullMatch(c.pattern(), m))) {
                matching.add(c);
            }
        }
        matching.sort(Comparator.comparingInt((Compiled c) -> -c.price().priority())
                .thenComparing(c -> c.names().contains(m) ? 0 : 1)
                .thenComparing(c -> c.price().effectiveFrom(), Comparator.reverseOrder())
                .thenComparing(c -> -c.price().id()));
        return matching;
    }

    /** Most characters a custom pattern may read in matching one name: far above any sane pattern, far below a hang. */
    static final int MAX_MATCH_STEPS = 200_000;

    /**
     * Whether {@code pattern} matches all of {@code name}, reading its characters at most {@link #MAX_MATCH_STEPS}
     * times: a pattern that backtracks without end (an ADMIN's {@code (a+)+$}) fails to match instead of stalling ingest.
     */
    static boolean fullMatch(Pattern pattern, String name) {
        return Boolean.TRUE.equals(boundedMatch(pattern, name));
    }

    /** Whether {@code pattern} matches all of {@code name}; null when it ran out of steps before it could say. */
    static Boolean boundedMatch(Pattern pattern, String name) {
        try {
            return pattern.matcher(new Bounded(name, new int[] {MAX_MATCH_STEPS})).matches();
        } catch (TooManySteps e) {
            return null;
        }
    }

    private static final class TooManySteps extends RuntimeException {
        TooManySteps() {
            super(null, null, false, false);
        }
    }

    /** A name that counts the characters read from it, shared with its subsequences. */
    private record Bounded(String text, int[] left) implements CharSequence {
        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if (--left[0] < 0) {
                throw new TooManySteps();
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Bounded(text.substring(start, end), left);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private List<Compiled> customPrices() {
        CustomSnapshot snapshot = custom;
        long now = clock.millis();
        if (snapshot == null || now - snapshot.loadedAt() > CUSTOM_REFRESH_MILLIS || now < snapshot.loadedAt()) {
            List<Compiled> compiled = new ArrayList<>();
            for (CustomPrice price : customs.findAllOrderById()) {
                compiled.add(compile(price));
            }
            snapshot = new CustomSnapshot(List.copyOf(compiled), now);
            custom = snapshot;
        }
        return snapshot.prices();
    }

    /** Forgets the custom prices held, so the next call reads them again (after this instance changed them). */
    void customChanged() {
        custom = null;
    }

    static Compiled compile(CustomPrice price) {
        List<String> names = new ArrayList<>();
        if (price.model() != null) {
            names.add(price.model().toLowerCase(Locale.ROOT));
        }
        if (price.aliases() != null) {
            for (String alias : price.aliases().split("\n")) {
                if (!alias.isBlank()) {
                    names.add(alias.toLowerCase(Locale.ROOT));
                }
            }
        }
        Pattern pattern = null;
        if (price.pattern() != null) {
            try {
                pattern = Pattern.compile(price.pattern(), Pattern.CASE_INSENSITIVE);
            } catch (PatternSyntaxException e) {
                pattern = null;
            }
        }
        return new Compiled(price, CustomPrices.entry(price), List.copyOf(names), pattern);
    }

    /**
     * The prices that could apply to calls of a provider's model: its custom prices, the one that wins first, then
     * the shipped entries of the model it resolves to, in the order they are tried (the last in effect wins).
     */
    public List<PriceView> prices(String provider, String model) {
        List<PriceView> views = new ArrayList<>();
        for (Compiled c : customFor(provider, model, null)) {
            views.add(PriceView.custom(c.price()));
        }
        resolve(provider, model).ifPresent(r -> r.model().prices().forEach(e -> views.add(PriceView.shipped(r.provider().id(), r.model().id(), e))));
        return views;
    }

    /** The price a quote for a provider's model used, as the API shows it; null when it is unpriced. */
    public @Nullable PriceView priceOf(Quote quote, String provider, String model) {
        if (!quote.priced()) {
            return null;
        }
        for (Compiled c : customPrices()) {
            if (c.entry().ref().equals(quote.entry().ref())) {
                return PriceView.custom(c.price());
            }
        }
        return resolve(provider, model).map(r -> PriceView.shipped(r.provider().id(), r.model().id(), quote.entry())).orElse(null);
    }

    /** Every shipped entry of the model a provider and name resolve to, in the order they are tried (last wins). */
    public List<PriceEntry> shippedEntries(String provider, String model) {
        return resolve(provider, model).map(r -> r.model().prices()).orElse(List.of());
    }

    /** The shipped model id and name a provider and model name resolve to, or null. */
    public @Nullable String shippedModelId(String provider, String model) {
        return resolve(provider, model).map(r -> r.provider().id() + "/" + r.model().id()).orElse(null);
    }
}

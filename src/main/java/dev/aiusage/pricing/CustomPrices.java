package dev.aiusage.pricing;

import dev.aiusage.domain.JsonTree;
import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.Names;
import jakarta.inject.Singleton;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Sets, lists and removes custom and contract prices (ADMIN). A changed price applies to calls stored after it; {@code repriceUsage} applies it to those before. */
@Singleton
public class CustomPrices {
    /** Highest price per million tokens (or per request) taken: far above any published price, well inside the columns. */
    static final BigDecimal MAX_RATE = BigDecimal.valueOf(1_000_000);
    static final int MAX_ALIASES = 50;
    static final int MAX_TIERS = 10;
    /** Long names a pattern must answer for quickly, as a name of up to 200 characters may be. */
    private static final List<String> PROBES = List.of("a".repeat(199) + "!", "0".repeat(199) + "!", "a-".repeat(99) + "!",
            "gpt-4o-".repeat(28) + "!");

    private final CustomPriceRepository repository;
    private final PriceCatalog catalog;
    private final Clock clock;

    CustomPrices(CustomPriceRepository repository, PriceCatalog catalog, Clock clock) {
        this.repository = repository;
        this.catalog = catalog;
        this.clock = clock;
    }

    /** What an ADMIN sends; checked by {@link #set}. */
    public record Input(String provider, String model, List<String> aliases, String pattern, Integer priority,
                        Instant effectiveFrom, Instant effectiveTo, ServiceTier serviceTier, Rates rates,
                        List<LongContextTier> longContext, String note) {
    }

    public List<CustomPrice> list() {
        return repository.findAllOrderById();
    }

    public CustomPrice set(Input in) {
        String provider = Names.require("provider", in.provider() == null ? "" : in.provider());
        String model = in.model() == null ? null : Names.require("model", in.model());
        List<String> aliases = in.aliases() == null ? List.of() : in.aliases();
        if (aliases.size() > MAX_ALIASES) {
            throw new BadInputException("aliases", "at most " + MAX_ALIASES + " aliases");
        }
        for (String alias : aliases) {
            Names.require("aliases", alias);
        }
        String pattern = in.pattern();
        if (pattern != null) {
            if (pattern.isEmpty() || pattern.length() > 500) {
                throw new BadInputException("pattern", "pattern must be 1 to 500 characters");
            }
            Pattern compiled;
            try {
                compiled = Pattern.compile(pattern, Pattern.CASE_INSENSITIVE);
            } catch (PatternSyntaxException e) {
                throw new BadInputException("pattern", "pattern is not a valid regular expression");
            }
            // a pattern that backtracks without end on a long name would match nothing while ingest waits on it
            for (String probe : PROBES) {
                if (PriceCatalog.boundedMatch(compiled, probe) == null) {
                    throw new BadInputException("pattern", "pattern takes too long to match a long model name; simplify it");
                }
            }
        }
        if (model == null && aliases.isEmpty() && pattern == null) {
            throw new BadInputException("model", "a custom price needs a model, aliases or a pattern");
        }
        if (in.effectiveFrom() == null) {
            throw new BadInputException("effectiveFrom", "effectiveFrom is required");
        }
        if (in.effectiveTo() != null && !in.effectiveTo().isAfter(in.effectiveFrom())) {
            throw new BadInputException("effectiveTo", "effectiveTo must be after effectiveFrom");
        }
        rates("rates", in.rates());
        List<LongContextTier> tiers = in.longContext() == null ? List.of() : in.longContext();
        if (tiers.size() > MAX_TIERS) {
            throw new BadInputException("longContext", "at most " + MAX_TIERS + " long-context tiers");
        }
        for (LongContextTier tier : tiers) {
            if (tier.aboveInputTokens() < 0) {
                throw new BadInputException("longContext.aboveInputTokens", "aboveInputTokens must not be negative");
            }
            rates("longContext.rates", tier.rates());
        }
        if (tiers.stream().map(LongContextTier::aboveInputTokens).distinct().count() != tiers.size()) {
            throw new BadInputException("longContext.aboveInputTokens", "each long-context tier needs its own threshold");
        }
        if (in.note() != null && in.note().length() > 500) {
            throw new BadInputException("note", "note must be at most 500 characters");
        }
        Rates r = in.rates();
        CustomPrice saved = repository.save(new CustomPrice(null, provider, model, aliases.isEmpty() ? null : String.join("\n", aliases),
                pattern, in.priority() == null ? 0 : in.priority(), in.effectiveFrom(), in.effectiveTo(),
                (in.serviceTier() == null ? ServiceTier.STANDARD : in.serviceTier()).code(), r.input(), r.cacheRead(),
                r.cacheWrite(), r.cacheWrite1h(), r.output(), r.reasoning(), r.perRequest(),
                tiers.isEmpty() ? null : tiersJson(tiers), in.note(), clock.instant()));
        catalog.customChanged();
        return saved;
    }

    /** @return whether a price with this id was there */
    public boolean delete(long id) {
        boolean found = repository.existsById(id);
        repository.deleteById(id);
        catalog.customChanged();
        return found;
    }

    private static void rates(String field, Rates rates) {
        if (rates == null || rates.isEmpty()) {
            throw new BadInputException(field, "at least one price is required");
        }
        for (int i = 0; i < Rates.KEYS.length; i++) {
            BigDecimal v = rates.get(i);
            if (v != null && (v.signum() < 0 || v.compareTo(MAX_RATE) > 0)) {
                throw new BadInputException(field + "." + Rates.KEYS[i], Rates.KEYS[i] + " must be from 0 to 1000000");
            }
            if (v != null && v.scale() > 10) {
                throw new BadInputException(field + "." + Rates.KEYS[i], Rates.KEYS[i] + " has more than 10 decimal places");
            }
        }
    }

    static PriceEntry entry(CustomPrice price) {
        return new PriceEntry(price.ref(), price.effectiveFrom(), price.effectiveTo(), null, null,
                ServiceTier.ofCode(price.serviceTier()), price.rates(), tiers(price.longContext()));
    }

    static List<LongContextTier> tiers(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            List<LongContextTier> tiers = new ArrayList<>();
            for (Object t : (List<?>) JsonTree.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))) {
                Map<?, ?> tier = (Map<?, ?>) t;
                tiers.add(new LongContextTier(((BigDecimal) tier.get("aboveInputTokens")).longValueExact(), Rates.fromJson((Map<?, ?>) tier.get("rates"))));
            }
            return tiers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tiersJson(List<LongContextTier> tiers) {
        List<Object> list = new ArrayList<>();
        for (LongContextTier tier : tiers) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("aboveInputTokens", BigDecimal.valueOf(tier.aboveInputTokens()));
            json.put("rates", tier.rates().toJson());
            list.add(json);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            JsonTree.write(list, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}

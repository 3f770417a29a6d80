package dev.aiusage.pricing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The project's own price catalog format (the shipped {@code prices/catalog.json}, written by
 * {@link CatalogConverter}): providers, their models, each model's dated price entries in the order they are tried
 * (last to first), and where the data came from.
 */
record CatalogFile(Map<String, Object> source, List<Provider> providers) {
    static final String FORMAT = "ai-usage-analytics price catalog 1";

    record Provider(String id, String name, NameMatch match, NameMatch modelMatch, List<String> fallbacks, List<Model> models) {
    }

    record Model(String id, String name, NameMatch match, List<PriceEntry> prices) {
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.put("source", source);
        List<Object> list = new ArrayList<>();
        for (Provider p : providers) {
            Map<String, Object> provider = new LinkedHashMap<>();
            provider.put("id", p.id());
            provider.put("name", p.name());
            provider.put("match", p.match() == null ? null : p.match().toJson());
            provider.put("modelMatch", p.modelMatch() == null ? null : p.modelMatch().toJson());
            provider.put("fallbacks", p.fallbacks().isEmpty() ? null : p.fallbacks());
            List<Object> models = new ArrayList<>();
            for (Model m : p.models()) {
                Map<String, Object> model = new LinkedHashMap<>();
                model.put("id", m.id());
                model.put("name", m.name());
                model.put("match", m.match().toJson());
                model.put("prices", m.prices().stream().map(CatalogFile::entryJson).toList());
                models.add(model);
            }
            provider.put("models", models);
            list.add(provider);
        }
        json.put("providers", list);
        return json;
    }

    private static Map<String, Object> entryJson(PriceEntry e) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("ref", e.ref());
        entry.put("from", e.from() == null ? null : e.from().toString());
        entry.put("to", e.to() == null ? null : e.to().toString());
        entry.put("dailyFrom", e.dailyFrom() == null ? null : e.dailyFrom().toString());
        entry.put("dailyTo", e.dailyTo() == null ? null : e.dailyTo().toString());
        entry.put("tier", e.tier().code());
        entry.put("rates", e.rates().toJson());
        if (!e.longContext().isEmpty()) {
            entry.put("longContext", e.longContext().stream().map(t -> {
                Map<String, Object> tier = new LinkedHashMap<>();
                tier.put("aboveInputTokens", BigDecimal.valueOf(t.aboveInputTokens()));
                tier.put("rates", t.rates().toJson());
                return tier;
            }).toList());
        }
        return entry;
    }

    @SuppressWarnings("unchecked")
    static CatalogFile fromJson(Object root) {
        Map<String, Object> json = (Map<String, Object>) root;
        if (!FORMAT.equals(json.get("format"))) {
            throw new IllegalArgumentException("not a price catalog of format '" + FORMAT + "'");
        }
        List<Provider> providers = new ArrayList<>();
        for (Object p : (List<Object>) json.get("providers")) {
            Map<String, Object> provider = (Map<String, Object>) p;
            List<Model> models = new ArrayList<>();
            for (Object m : (List<Object>) provider.get("models")) {
                Map<String, Object> model = (Map<String, Object>) m;
                List<PriceEntry> prices = new ArrayList<>();
                for (Object e : (List<Object>) model.get("prices")) {
                    prices.add(entry((Map<String, Object>) e));
                }
                models.add(new Model((String) model.get("id"), (String) model.get("name"), NameMatch.parse(model.get("match")),
                        List.copyOf(prices)));
            }
            providers.add(new Provider((String) provider.get("id"), (String) provider.get("name"), match(provider.get("match")),
                    match(provider.get("modelMatch")),
                    provider.get("fallbacks") == null ? List.of() : List.copyOf((List<String>) provider.get("fallbacks")),
                    List.copyOf(models)));
        }
        return new CatalogFile((Map<String, Object>) json.get("source"), List.copyOf(providers));
    }

    private static NameMatch match(Object json) {
        return json == null ? null : NameMatch.parse(json);
    }

    @SuppressWarnings("unchecked")
    private static PriceEntry entry(Map<String, Object> e) {
        List<LongContextTier> tiers = new ArrayList<>();
        if (e.get("longContext") != null) {
            for (Object t : (List<Object>) e.get("longContext")) {
                Map<String, Object> tier = (Map<String, Object>) t;
                tiers.add(new LongContextTier(((BigDecimal) tier.get("aboveInputTokens")).longValueExact(),
                        Rates.fromJson((Map<?, ?>) tier.get("rates"))));
            }
        }
        return new PriceEntry((String) e.get("ref"), instant(e.get("from")), instant(e.get("to")), time(e.get("dailyFrom")),
                time(e.get("dailyTo")), ServiceTier.ofCode((String) e.get("tier")), Rates.fromJson((Map<?, ?>) e.get("rates")),
                tiers);
    }

    private static Instant instant(Object value) {
        return value == null ? null : Instant.parse((String) value);
    }

    private static LocalTime time(Object value) {
        return value == null ? null : LocalTime.parse((String) value);
    }
}

package dev.aiusage.pricing;

import dev.aiusage.domain.JsonTree;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts genai-prices' v2 {@code data.json} (pydantic/genai-prices, MIT) into the project's catalog format,
 * keeping its semantics exactly:
 * <ul>
 *   <li>a model's conditional prices are tried last to first and the first whose constraint holds wins; the first
 *   entry applies when none does. Here each entry gets the half-open interval [from, to) in which it is the one
 *   chosen (from its start date to the next later start date), entries that can never be chosen are dropped, and
 *   time-of-day entries (off-peak prices) keep their daily UTC window;</li>
 *   <li>tiered prices are cliffs on the call's input tokens (past a tier's start, its rate applies to all tokens of
 *   the kind): here the tiers of all kinds become long-context tiers of whole price lists, one per threshold.</li>
 * </ul>
 * Price kinds the records do not carry (audio, image, video tokens, web searches) are left out and counted.
 */
public final class CatalogConverter {
    static final String UPSTREAM = "https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json";
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final Map<String, Integer> KINDS = Map.of("input_mtok", 0, "cache_read_mtok", 1, "cache_write_mtok", 2,
            "cache_write_1h_mtok", 3, "output_mtok", 4, "output_reasoning_mtok", 5, "requests_kcount", 6);
    private static final Pattern TIME = Pattern.compile("^(\\d{2}):(\\d{2}):(\\d{2})(?:\\.\\d+)?(Z|([+-])(\\d{2}):(\\d{2}))$");

    /** Price kinds left out, with how many price lists had them. */
    private final Map<String, Integer> dropped = new TreeMap<>();
    private int entries;
    private int unreachable;

    /** What a conversion made. */
    public record Summary(int providers, int models, int entries, int unreachable, Map<String, Integer> dropped) {
    }

    /**
     * {@code refresh-prices --data data.json --commit SHA --commit-date YYYY-MM-DD [--out FILE]}: writes the catalog
     * (default {@code src/main/resources/prices/catalog.json}) and prints what it holds.
     */
    public static void main(String[] args) {
        try {
            convert(args);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        } catch (IOException | ClassCastException | NullPointerException e) {
            System.err.println("cannot convert the price data: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void convert(String[] args) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw usage();
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        if (args.length % 2 != 0 || !options.containsKey("data") || !options.containsKey("commit")
                || !options.containsKey("commit-date")) {
            throw usage();
        }
        Path out = Path.of(options.getOrDefault("out", "src/main/resources/prices/catalog.json"));
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("name", "genai-prices");
        source.put("repository", "https://github.com/pydantic/genai-prices");
        source.put("licence", "MIT");
        source.put("url", options.getOrDefault("url", UPSTREAM));
        source.put("commit", options.get("commit"));
        source.put("commitDate", LocalDate.parse(options.get("commit-date")).toString());
        source.put("converted", LocalDate.now(ZoneOffset.UTC).toString());
        CatalogConverter converter = new CatalogConverter();
        CatalogFile catalog;
        try (InputStream in = Files.newInputStream(Path.of(options.get("data")))) {
            catalog = converter.convert(JsonTree.read(in), source);
        }
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        try (OutputStream os = Files.newOutputStream(out)) {
            JsonTree.write(catalog.toJson(), os);
        }
        Summary s = converter.summary(catalog);
        System.out.printf("%s: %d providers, %d models, %d price entries (%d never chosen, left out)%n", out, s.providers(),
                s.models(), s.entries(), s.unreachable());
        s.dropped().forEach((kind, n) -> System.out.printf("  left out: %s in %d price lists%n", kind, n));
    }

    private static IllegalArgumentException usage() {
        return new IllegalArgumentException(
                "usage: refresh-prices --data data.json --commit SHA --commit-date YYYY-MM-DD [--out FILE] [--url URL]");
    }

    Summary summary(CatalogFile catalog) {
        int models = catalog.providers().stream().mapToInt(p -> p.models().size()).sum();
        return new Summary(catalog.providers().size(), models, entries, unreachable, Map.copyOf(dropped));
    }

    @SuppressWarnings("unchecked")
    CatalogFile convert(Object data, Map<String, Object> source) {
        if (!(data instanceof List<?> list)) {
            throw new IllegalArgumentException("genai-prices data.json is a list of providers");
        }
        List<CatalogFile.Provider> providers = new ArrayList<>();
        for (Object p : list) {
            Map<String, Object> provider = (Map<String, Object>) p;
            String providerId = (String) provider.get("id");
            List<CatalogFile.Model> models = new ArrayList<>();
            for (Object m : (List<Object>) provider.get("models")) {
                Map<String, Object> model = (Map<String, Object>) m;
                String modelId = (String) model.get("id");
                models.add(new CatalogFile.Model(modelId, (String) model.get("name"), NameMatch.parse(model.get("match")),
                        entries(providerId + "/" + modelId, model.get("prices"))));
            }
            providers.add(new CatalogFile.Provider(providerId, (String) provider.get("name"),
                    provider.get("provider_match") == null ? null : NameMatch.parse(provider.get("provider_match")),
                    provider.get("model_match") == null ? null : NameMatch.parse(provider.get("model_match")),
                    provider.get("fallback_model_providers") == null ? List.of()
                            : List.copyOf((List<String>) provider.get("fallback_model_providers")),
                    List.copyOf(models)));
        }
        return new CatalogFile(source, List.copyOf(providers));
    }

    @SuppressWarnings("unchecked")
    private List<PriceEntry> entries(String ref, Object prices) {
        if (prices instanceof Map<?, ?> single) {
            entries++;
            return List.of(entry(ref, null, null, null, null, (Map<String, Object>) single));
        }
        List<Map<String, Object>> conditional = (List<Map<String, Object>>) prices;
        // start date of each entry, or null (none, or a time-of-day constraint); the first entry is chosen whenever
        // no later one is, so it counts as unconstrained
        List<Instant> starts = new ArrayList<>();
        for (int i = 0; i < conditional.size(); i++) {
            Map<String, Object> constraint = (Map<String, Object>) conditional.get(i).get("constraint");
            starts.add(i > 0 && constraint != null && constraint.containsKey("start_date")
                    ? LocalDate.parse((String) constraint.get("start_date")).atStartOfDay(ZoneOffset.UTC).toInstant() : null);
        }
        List<PriceEntry> result = new ArrayList<>();
        Set<String> refs = new HashSet<>();
        for (int i = 0; i < conditional.size(); i++) {
            Map<String, Object> constraint = (Map<String, Object>) conditional.get(i).get("constraint");
            boolean daily = i > 0 && constraint != null && constraint.containsKey("start_time");
            Instant from = starts.get(i);
            Instant to = null;
            boolean reachable = true;
            for (int j = i + 1; j < conditional.size(); j++) {
                Map<String, Object> later = (Map<String, Object>) conditional.get(j).get("constraint");
                if (later == null) {
                    reachable = false;
                } else if (starts.get(j) != null) {
                    if (from != null && !starts.get(j).isAfter(from)) {
                        reachable = false;
                    } else if (to == null || starts.get(j).isBefore(to)) {
                        to = starts.get(j);
                    }
                }
            }
            if (!reachable) {
                unreachable++;
                continue;
            }
            LocalTime dailyFrom = daily ? utcTime((String) constraint.get("start_time")) : null;
            LocalTime dailyTo = daily ? utcTime((String) constraint.get("end_time")) : null;
            String name = ref + (from != null ? "@" + from.toString().substring(0, 10)
                    : daily ? "@" + dailyFrom + "-" + dailyTo + "Z" : "");
            while (!refs.add(name)) {
                name = name + "'";
            }
            entries++;
            result.add(entry(name, from, to, dailyFrom, dailyTo, (Map<String, Object>) conditional.get(i).get("prices")));
        }
        return List.copyOf(result);
    }

    /** Seconds of the UTC day, as genai-prices reads a time-of-day constraint with its offset. */
    static LocalTime utcTime(String text) {
        Matcher m = TIME.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("time-of-day constraint " + text);
        }
        int seconds = Integer.parseInt(m.group(1)) * 3600 + Integer.parseInt(m.group(2)) * 60 + Integer.parseInt(m.group(3));
        int offset = m.group(4).equals("Z") ? 0
                : (m.group(5).equals("+") ? 1 : -1) * (Integer.parseInt(m.group(6)) * 3600 + Integer.parseInt(m.group(7)) * 60);
        return LocalTime.ofSecondOfDay(Math.floorMod(seconds - offset, 86_400));
    }

    @SuppressWarnings("unchecked")
    private PriceEntry entry(String ref, Instant from, Instant to, LocalTime dailyFrom, LocalTime dailyTo,
                             Map<String, Object> prices) {
        BigDecimal[] base = new BigDecimal[Rates.KEYS.length];
        // each kind's tiers: threshold -> price
        List<TreeMap<Long, BigDecimal>> tiers = new ArrayList<>();
        TreeSet<Long> thresholds = new TreeSet<>();
        for (int i = 0; i < Rates.KEYS.length; i++) {
            tiers.add(new TreeMap<>());
        }
        for (Map.Entry<String, Object> price : prices.entrySet()) {
            Integer kind = KINDS.get(price.getKey());
            if (kind == null) {
                dropped.merge(price.getKey(), 1, Integer::sum);
                continue;
            }
            BigDecimal scale = kind == 6 ? THOUSAND : BigDecimal.ONE;
            if (price.getValue() instanceof BigDecimal flat) {
                base[kind] = divide(flat, scale);
            } else {
                Map<String, Object> tiered = (Map<String, Object>) price.getValue();
                base[kind] = divide((BigDecimal) tiered.get("base"), scale);
                for (Object t : (List<Object>) tiered.get("tiers")) {
                    Map<String, Object> tier = (Map<String, Object>) t;
                    long start = ((BigDecimal) tier.get("start")).longValueExact();
                    tiers.get(kind).put(start, divide((BigDecimal) tier.get("price"), scale));
                    thresholds.add(start);
                }
            }
        }
        List<LongContextTier> longContext = new ArrayList<>();
        for (long threshold : thresholds) {
            BigDecimal[] rates = new BigDecimal[Rates.KEYS.length];
            for (int i = 0; i < rates.length; i++) {
                Map.Entry<Long, BigDecimal> tier = tiers.get(i).floorEntry(threshold);
                rates[i] = tier == null ? base[i] : tier.getValue();
            }
            longContext.add(new LongContextTier(threshold, rates(rates)));
        }
        return new PriceEntry(ref, from, to, dailyFrom, dailyTo, ServiceTier.STANDARD, rates(base), longContext);
    }

    private static BigDecimal divide(BigDecimal value, BigDecimal by) {
        return by.equals(BigDecimal.ONE) ? value : value.divide(by);
    }

    private static Rates rates(BigDecimal[] v) {
        return new Rates(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
    }
}

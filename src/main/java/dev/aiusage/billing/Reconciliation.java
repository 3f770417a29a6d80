package dev.aiusage.billing;

import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.TimeWindow;
import dev.aiusage.domain.UsageFilter;
import dev.aiusage.pricing.PriceCatalog;
import dev.aiusage.store.UsageAggregates;
import dev.aiusage.store.UsageCell;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Sets the providers' bills beside the logged spend. Imports a cost export idempotently (a line imported again
 * replaces itself), and answers per UTC day and provider: billed, logged (the rollups' cost of the records whose
 * provider is that provider), the difference and the share of the bill never logged; by model where the export
 * has models (names matched through the price catalog, so {@code claude-sonnet-4-20250514} and a record's
 * {@code claude-sonnet-4-0} meet when they are one model), and by workspace or project billed.
 */
@Singleton
public class Reconciliation {
    private static final long MAX_DAYS = 400;

    private final BilledCostRepository bills;
    private final UsageAggregates aggregates;
    private final PriceCatalog catalog;
    private final Clock clock;

    Reconciliation(BilledCostRepository bills, UsageAggregates aggregates, PriceCatalog catalog, Clock clock) {
        this.bills = bills;
        this.aggregates = aggregates;
        this.catalog = catalog;
        this.clock = clock;
    }

    /** What an import did. */
    public record ImportResult(int lines, int added, int replaced, LocalDate firstDay, LocalDate lastDay, BigDecimal amountUsd) {
    }

    /** Imports one cost export (a page of the provider's API, or a CSV), all of it or, on a bad line, none. */
    @Transactional
    public ImportResult importBill(String provider, String format, String document) {
        BillParser.BillSource source = BillParser.BillSource.of(provider);
        List<BillParser.Line> lines = BillParser.parse(source, format, document);
        if (lines.isEmpty()) {
            throw new BadInputException("document", "the document holds no cost lines");
        }
        Map<String, BilledCost> existing = new HashMap<>();
        List<String> keys = lines.stream().map(BillParser.Line::lineKey).toList();
        for (int i = 0; i < keys.size(); i += 1000) {
            bills.findByLineKeyIn(keys.subList(i, Math.min(keys.size(), i + 1000))).forEach(b -> existing.put(b.lineKey(), b));
        }
        List<BilledCost> added = new ArrayList<>();
        List<BilledCost> replaced = new ArrayList<>();
        var now = clock.instant();
        for (BillParser.Line line : lines) {
            BilledCost cost = new BilledCost(line.lineKey(), source.code, line.day(), line.model(), line.workspace(), line.lineItem(),
                    line.amountUsd(), now);
            (existing.containsKey(line.lineKey()) ? replaced : added).add(cost);
        }
        bills.saveAll(added);
        bills.updateAll(replaced);
        LocalDate first = lines.stream().map(BillParser.Line::day).min(Comparator.naturalOrder()).orElseThrow();
        LocalDate last = lines.stream().map(BillParser.Line::day).max(Comparator.naturalOrder()).orElseThrow();
        BigDecimal total = lines.stream().map(BillParser.Line::amountUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new ImportResult(lines.size(), added.size(), replaced.size(), first, last, total);
    }

    /** Billed against logged for one model on one day (model null: lines without a model, such as web search). */
    public record ModelLine(String model, BigDecimal billedUsd, BigDecimal loggedUsd, BigDecimal differenceUsd) {
    }

    /** What one workspace or project was billed on one day. */
    public record WorkspaceLine(String workspace, BigDecimal billedUsd) {
    }

    /** One provider's day. */
    public record Day(LocalDate day, String provider, BigDecimal billedUsd, BigDecimal loggedUsd, BigDecimal differenceUsd,
                      Double unloggedShare, List<ModelLine> models, List<WorkspaceLine> workspaces) {
    }

    /** The window's days, and their sums. */
    public record Report(LocalDate firstDay, LocalDate lastDay, List<Day> days, BigDecimal billedUsd, BigDecimal loggedUsd,
                         BigDecimal differenceUsd, Double unloggedShare) {
    }

    /**
     * The whole UTC days the window touches, for {@code provider} (null: every provider with a bill imported in
     * them): every day with a bill or logged spend.
     */
    public Report reconcile(TimeWindow window, String provider) {
        LocalDate first = window.from().atOffset(ZoneOffset.UTC).toLocalDate();
        LocalDate last = window.to().minusNanos(1).atOffset(ZoneOffset.UTC).toLocalDate();
        if (first.plusDays(MAX_DAYS).isBefore(last.plusDays(1))) {
            throw new BadInputException("from", "a reconciliation covers at most 400 days");
        }
        String only = provider == null ? null : BillParser.BillSource.of(provider).code;
        List<BilledCost> lines = bills.findByBillDayGreaterThanEqualsAndBillDayLessThan(first, last.plusDays(1)).stream()
                .filter(b -> only == null || b.provider().equals(only)).toList();
        TreeSet<String> providers = new TreeSet<>();
        lines.forEach(b -> providers.add(b.provider()));
        if (only != null) {
            providers.add(only);
        }
        // logged spend by provider, model and UTC day, over the whole days
        TimeWindow days = new TimeWindow(first.atStartOfDay(ZoneOffset.UTC).toInstant(), last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        Map<String, Map<LocalDate, Map<String, BigDecimal>>> logged = new HashMap<>();
        if (!providers.isEmpty()) {
            for (UsageCell cell : aggregates.modelDays(days, UsageFilter.NONE)) {
                String p = cell.stats().key(0) == null ? "" : cell.stats().key(0).trim().toLowerCase(Locale.ROOT);
                if (providers.contains(p)) {
                    logged.computeIfAbsent(p, k -> new TreeMap<>())
                            .computeIfAbsent(cell.bucket().atOffset(ZoneOffset.UTC).toLocalDate(), k -> new HashMap<>())
                            .merge(modelKey(p, cell.stats().key(1)), cell.stats().cost(), BigDecimal::add);
                }
            }
        }
        Map<String, Map<LocalDate, List<BilledCost>>> billed = lines.stream().collect(Collectors.groupingBy(BilledCost::provider,
                Collectors.groupingBy(BilledCost::billDay, TreeMap::new, Collectors.toList())));
        List<Day> answer = new ArrayList<>();
        BigDecimal billedSum = BigDecimal.ZERO;
        BigDecimal loggedSum = BigDecimal.ZERO;
        for (String p : providers) {
            TreeSet<LocalDate> seen = new TreeSet<>();
            seen.addAll(billed.getOrDefault(p, Map.of()).keySet());
            seen.addAll(logged.getOrDefault(p, Map.of()).keySet());
            for (LocalDate day : seen) {
                List<BilledCost> dayLines = billed.getOrDefault(p, Map.of()).getOrDefault(day, List.of());
                Map<String, BigDecimal> dayLogged = logged.getOrDefault(p, Map.of()).getOrDefault(day, Map.of());
                Day d = day(day, p, dayLines, dayLogged);
                answer.add(d);
                billedSum = billedSum.add(d.billedUsd());
                loggedSum = loggedSum.add(d.loggedUsd());
            }
        }
        answer.sort(Comparator.comparing(Day::day).thenComparing(Day::provider));
        return new Report(first, last, answer, billedSum, loggedSum, billedSum.subtract(loggedSum), unlogged(billedSum, loggedSum));
    }

    private Day day(LocalDate day, String provider, List<BilledCost> lines, Map<String, BigDecimal> logged) {
        BigDecimal billed = lines.stream().map(BilledCost::amountUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal log = logged.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        List<ModelLine> models = new ArrayList<>();
        if (lines.stream().anyMatch(l -> l.model() != null)) {
            Map<String, BigDecimal> byModel = new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder()));
            for (BilledCost line : lines) {
                byModel.merge(line.model() == null ? null : modelKey(provider, line.model()), line.amountUsd(), BigDecimal::add);
            }
            logged.keySet().forEach(m -> byModel.putIfAbsent(m, BigDecimal.ZERO));
            // the TreeMap's null key is read by iterating, not by get(null)
            byModel.forEach((model, amount) -> {
                BigDecimal l = model == null ? BigDecimal.ZERO : logged.getOrDefault(model, BigDecimal.ZERO);
                models.add(new ModelLine(model, amount, l, amount.subtract(l)));
            });
        }
        Map<String, BigDecimal> byWorkspace = new TreeMap<>();
        lines.stream().filter(l -> l.workspace() != null).forEach(l -> byWorkspace.merge(l.workspace(), l.amountUsd(), BigDecimal::add));
        List<WorkspaceLine> workspaces = byWorkspace.entrySet().stream().map(e -> new WorkspaceLine(e.getKey(), e.getValue())).toList();
        return new Day(day, provider, billed, log, billed.subtract(log), unlogged(billed, log), models, workspaces);
    }

    /** The share of the bill above what was logged; null for no bill. */
    private static Double unlogged(BigDecimal billed, BigDecimal logged) {
        if (billed.signum() <= 0) {
            return null;
        }
        BigDecimal gap = billed.subtract(logged);
        return gap.signum() <= 0 ? 0.0 : gap.divide(billed, MathContext.DECIMAL64).doubleValue();
    }

    /** A model's name as bills and records meet: the shipped model it resolves to, else the name in lower case. */
    private String modelKey(String provider, String model) {
        if (model == null) {
            return "";
        }
        String shipped = catalog.shippedModelId(provider, model);
        return shipped != null ? shipped.substring(shipped.indexOf('/') + 1) : model.trim().toLowerCase(Locale.ROOT);
    }
}

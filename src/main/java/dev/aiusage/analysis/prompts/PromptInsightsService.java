package dev.aiusage.analysis.prompts;

import dev.aiusage.store.QueryBudget;
import dev.aiusage.domain.TimeWindow;
import dev.aiusage.domain.UsageFilter;
import dev.aiusage.store.PromptAggregates;
import dev.aiusage.store.PromptStats;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The article's prompt optimisation tracker: for each workflow, task type and template, quality and cost by
 * input size, how input tokens go with quality and with cost (Pearson's r), and what each new template version
 * changed against the one before it, with sample sizes so that a change on three calls is read as such. One
 * scan gives sums per version and band; groups, bands and versions are added up from those.
 */
@Singleton
public class PromptInsightsService {
    private static final Comparator<String> NAMES = Comparator.nullsFirst(Comparator.naturalOrder());
    private static final Comparator<List<String>> KEYS = (a, b) -> {
        for (int i = 0; i < a.size(); i++) {
            int c = NAMES.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    };
    static final List<String> BAND_NAMES = List.of("0-499 tokens", "500-1,999 tokens", "2,000-7,999 tokens", "8,000+ tokens");
    static final String UNKNOWN_BAND = "input tokens not sent";

    private final PromptAggregates prompts;

    public PromptInsightsService(PromptAggregates prompts) {
        this.prompts = prompts;
    }

    public PromptInsights insights(TimeWindow window, UsageFilter filter) {
        Map<List<String>, Sums> groups = new TreeMap<>(KEYS);
        Map<List<String>, Map<Integer, Sums>> bands = new TreeMap<>(KEYS);
        Map<List<String>, Sums> versions = new TreeMap<>(KEYS);
        for (PromptStats.Cell c : prompts.cells(window, filter)) {
            QueryBudget.checkpoint();
            List<String> group = Arrays.asList(c.workflow(), c.taskType(), c.template());
            groups.computeIfAbsent(group, k -> new Sums()).add(c);
            bands.computeIfAbsent(group, k -> new TreeMap<>()).computeIfAbsent(c.band(), k -> new Sums()).add(c);
            if (c.template() != null) {
                versions.computeIfAbsent(Arrays.asList(c.workflow(), c.taskType(), c.template(), c.version()), k -> new Sums()).add(c);
            }
        }
        List<PromptInsights.Group> out = new ArrayList<>();
        groups.forEach((k, s) -> out.add(new PromptInsights.Group(k.get(0), k.get(1), k.get(2), s.calls,
                bands.get(k).entrySet().stream().map(e -> new PromptInsights.Band(e.getKey() < 0 ? UNKNOWN_BAND : BAND_NAMES.get(e.getKey()),
                        e.getValue().calls, average(e.getValue().cost, e.getValue().calls), e.getValue().scored,
                        e.getValue().scored == 0 ? null : average(e.getValue().qualitySum, e.getValue().scored))).toList(),
                pearson(s.m, s.qx, s.qxx, s.sq, s.sqq, s.sxq), s.m, pearson(s.n, s.sx, s.sxx, s.sc, s.scc, s.sxc), s.n)));
        return new PromptInsights(window.from(), window.to(), out, changes(versions));
    }

    /** Each version against the one before it (by first call in the window) of the same template. */
    private static List<PromptInsights.TemplateChange> changes(Map<List<String>, Sums> versions) {
        Map<List<String>, List<PromptInsights.Version>> byTemplate = new TreeMap<>(KEYS);
        versions.forEach((k, s) -> byTemplate.computeIfAbsent(k.subList(0, 3), t -> new ArrayList<>())
                .add(new PromptInsights.Version(k.get(3), s.calls, s.scored, s.scored == 0 ? null : average(s.qualitySum, s.scored),
                        average(s.cost, s.calls), s.charsCount == 0 ? null : s.charsSum / s.charsCount, s.firstSeen)));
        List<PromptInsights.TemplateChange> changes = new ArrayList<>();
        byTemplate.forEach((k, list) -> {
            list.sort(Comparator.comparing(PromptInsights.Version::firstSeen).thenComparing(PromptInsights.Version::version));
            for (int i = 1; i < list.size(); i++) {
                PromptInsights.Version before = list.get(i - 1);
                PromptInsights.Version after = list.get(i);
                Double quality = before.avgQuality() == null || after.avgQuality() == null ? null : after.avgQuality() - before.avgQuality();
                double cost = after.avgCost() - before.avgCost();
                changes.add(new PromptInsights.TemplateChange(k.get(0), k.get(1), k.get(2), before, after, quality, cost,
                        before.avgCost() == 0 ? null : cost / before.avgCost()));
            }
        });
        return changes;
    }

    /** Pearson's r from sums; null with fewer than 3 pairs or when either side does not vary. */
    static Double pearson(long n, double sx, double sxx, double sy, double syy, double sxy) {
        if (n < 3) {
            return null;
        }
        double vx = n * sxx - sx * sx;
        double vy = n * syy - sy * sy;
        if (vx <= 0 || vy <= 0) {
            return null;
        }
        double r = (n * sxy - sx * sy) / Math.sqrt(vx * vy);
        return Math.max(-1, Math.min(1, r));
    }

    private static double average(BigDecimal sum, long n) {
        return n == 0 ? 0 : sum.divide(BigDecimal.valueOf(n), MathContext.DECIMAL64).doubleValue();
    }

    /** Cells added up. */
    private static final class Sums {
        long calls;
        BigDecimal cost = BigDecimal.ZERO;
        long scored;
        BigDecimal qualitySum = BigDecimal.ZERO;
        double charsSum;
        long charsCount;
        Instant firstSeen;
        long n;
        double sx;
        double sxx;
        double sc;
        double scc;
        double sxc;
        long m;
        double qx;
        double qxx;
        double sq;
        double sqq;
        double sxq;

        void add(PromptStats.Cell c) {
            calls += c.calls();
            cost = cost.add(c.cost());
            scored += c.scored();
            qualitySum = qualitySum.add(c.qualitySum());
            charsSum += c.charsSum();
            charsCount += c.charsCount();
            firstSeen = firstSeen == null || c.firstSeen().isBefore(firstSeen) ? c.firstSeen() : firstSeen;
            n += c.n();
            sx += c.sx();
            sxx += c.sxx();
            sc += c.sc();
            scc += c.scc();
            sxc += c.sxc();
            m += c.m();
            qx += c.qx();
            qxx += c.qxx();
            sq += c.sq();
            sqq += c.sqq();
            sxq += c.sxq();
        }
    }
}

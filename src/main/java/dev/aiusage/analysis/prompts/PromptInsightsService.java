package dev.aiusage.analysis.prompts;

import dev.aiusage.domain.TimeWindow;
import dev.aiusage.domain.UsageFilter;
import dev.aiusage.store.PromptAggregates;
import dev.aiusage.store.PromptStats;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The article's prompt optimisation tracker: for each workflow, task type and template, quality and cost by
 * input size, how input tokens go with quality and with cost (Pearson's r), and what each new template version
 * changed against the one before it, with sample sizes so that a change on three calls is read as such.
 */
@Singleton
public class PromptInsightsService {
    private static final Comparator<String> NAMES = Comparator.nullsLast(Comparator.naturalOrder());
    static final List<String> BAND_NAMES = List.of("0-499 tokens", "500-1,999 tokens", "2,000-7,999 tokens", "8,000+ tokens");
    static final String UNKNOWN_BAND = "input tokens not sent";

    private final PromptAggregates prompts;

    public PromptInsightsService(PromptAggregates prompts) {
        this.prompts = prompts;
    }

    public PromptInsights insights(TimeWindow window, UsageFilter filter) {
        Map<List<String>, List<PromptStats.Band>> bands = new LinkedHashMap<>();
        prompts.bands(window, filter).stream()
                .sorted(Comparator.comparing(PromptStats.Band::workflow, NAMES).thenComparing(PromptStats.Band::taskType)
                        .thenComparing(PromptStats.Band::template, NAMES).thenComparingInt(PromptStats.Band::band))
                .forEach(b -> bands.computeIfAbsent(key(b.workflow(), b.taskType(), b.template()), k -> new ArrayList<>()).add(b));
        Map<List<String>, PromptStats.Moments> moments = new LinkedHashMap<>();
        prompts.moments(window, filter).forEach(m -> moments.put(key(m.workflow(), m.taskType(), m.template()), m));

        List<PromptInsights.Group> groups = new ArrayList<>();
        bands.forEach((k, list) -> {
            PromptStats.Moments m = moments.get(k);
            long calls = list.stream().mapToLong(PromptStats.Band::calls).sum();
            List<PromptInsights.Band> out = list.stream().map(b -> new PromptInsights.Band(
                    b.band() < 0 ? UNKNOWN_BAND : BAND_NAMES.get(b.band()), b.calls(), average(b.cost(), b.calls()),
                    b.scored(), b.scored() == 0 ? null : average(b.qualitySum(), b.scored()))).toList();
            groups.add(new PromptInsights.Group(k.get(0), k.get(1), k.get(2), calls, out,
                    m == null ? null : pearson(m.m(), m.qx(), m.qxx(), m.sq(), m.sqq(), m.sxq()), m == null ? 0 : m.m(),
                    m == null ? null : pearson(m.n(), m.sx(), m.sxx(), m.sc(), m.scc(), m.sxc()), m == null ? 0 : m.n()));
        });
        return new PromptInsights(window.from(), window.to(), groups, changes(prompts.versions(window, filter)));
    }

    private static List<PromptInsights.TemplateChange> changes(List<PromptStats.Version> versions) {
        Map<List<String>, List<PromptStats.Version>> byTemplate = new LinkedHashMap<>();
        versions.stream()
                .sorted(Comparator.comparing(PromptStats.Version::workflow, NAMES).thenComparing(PromptStats.Version::taskType)
                        .thenComparing(PromptStats.Version::template).thenComparing(PromptStats.Version::firstSeen)
                        .thenComparing(PromptStats.Version::version))
                .forEach(v -> byTemplate.computeIfAbsent(key(v.workflow(), v.taskType(), v.template()), k -> new ArrayList<>()).add(v));
        List<PromptInsights.TemplateChange> changes = new ArrayList<>();
        byTemplate.forEach((k, list) -> {
            for (int i = 1; i < list.size(); i++) {
                PromptInsights.Version before = version(list.get(i - 1));
                PromptInsights.Version after = version(list.get(i));
                Double quality = before.avgQuality() == null || after.avgQuality() == null ? null : after.avgQuality() - before.avgQuality();
                double cost = after.avgCost() - before.avgCost();
                changes.add(new PromptInsights.TemplateChange(k.get(0), k.get(1), k.get(2), before, after, quality, cost,
                        before.avgCost() == 0 ? null : cost / before.avgCost()));
            }
        });
        return changes;
    }

    private static PromptInsights.Version version(PromptStats.Version v) {
        return new PromptInsights.Version(v.version(), v.calls(), v.scored(), v.scored() == 0 ? null : average(v.qualitySum(), v.scored()),
                average(v.cost(), v.calls()), v.avgPromptChars(), v.firstSeen());
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

    private static List<String> key(String workflow, String taskType, String template) {
        List<String> key = new ArrayList<>();
        key.add(workflow);
        key.add(taskType);
        key.add(template);
        return key;
    }
}

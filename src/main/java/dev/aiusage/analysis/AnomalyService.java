package dev.aiusage.analysis;

import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.TimeWindow;
import dev.aiusage.domain.UsageFilter;
import dev.aiusage.store.Bucketing;
import dev.aiusage.store.Dimension;
import dev.aiusage.store.QueryBudget;
import dev.aiusage.store.UsageAggregates;
import dev.aiusage.store.UsageCell;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.hipparchus.stat.descriptive.rank.Median;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Spend anomalies: a day on which a team's or a workflow's spend is far above its recent baseline. Robust, so one
 * earlier spike does not hide the next: for each day of the window and each team and workflow, the baseline is the
 * spend of the {@value #BASELINE_DAYS} days before it (days without calls count 0, from the first day with spend;
 * at least {@value #MIN_HISTORY_DAYS} such days are needed), its median M and median absolute deviation MAD. The
 * day is flagged when its spend y exceeds M + k × scale, scale = max(1.4826 × MAD, 0.1 × M) (1.4826 × MAD estimates
 * a standard deviation; the tenth of the median keeps a perfectly flat baseline from flagging pennies), k =
 * {@code aiusage.anomalies.threshold} (3.5), and y − M is at least {@code aiusage.anomalies.min-excess-usd} (5).
 * From the rollups by calendar day of the zone: O(groups × days), never O(records).
 */
@Singleton
public class AnomalyService {
    static final int BASELINE_DAYS = 28;
    static final int MIN_HISTORY_DAYS = 7;
    static final int MAX_DAYS = 92;
    private static final int MAX_CELLS = 200_000;
    private static final double MAD_TO_SIGMA = 1.4826;

    private final UsageAggregates aggregates;
    private final double threshold;
    private final double minExcess;

    AnomalyService(UsageAggregates aggregates,
                   @Value("${aiusage.anomalies.threshold:3.5}") double threshold,
                   @Value("${aiusage.anomalies.min-excess-usd:5}") double minExcess) {
        this.aggregates = aggregates;
        this.threshold = threshold;
        this.minExcess = minExcess;
    }

    /** The window's anomalous days by team and by workflow, largest excess first. */
    public List<SpendAnomaly> anomalies(TimeWindow window, UsageFilter filter, String timeZone) {
        ZoneId zone = AnalyticsService.zone(timeZone);
        LocalDate first = window.from().atZone(zone).toLocalDate();
        LocalDate last = window.to().minusNanos(1).atZone(zone).toLocalDate();
        if (last.toEpochDay() - first.toEpochDay() + 1 > MAX_DAYS) {
            throw new BadInputException("from", "anomalies look at most " + MAX_DAYS + " days at a time; narrow from or to");
        }
        LocalDate baselineStart = first.minusDays(BASELINE_DAYS);
        TimeWindow read = new TimeWindow(baselineStart.atStartOfDay(zone).toInstant(), window.to());
        List<SpendAnomaly> found = new ArrayList<>();
        found.addAll(scan(read, filter, zone, Dimension.TEAM, SpendAnomaly.Dimension.TEAM, baselineStart, last));
        found.addAll(scan(read, filter, zone, Dimension.WORKFLOW, SpendAnomaly.Dimension.WORKFLOW, baselineStart, last));
        found.sort(Comparator.comparingDouble(SpendAnomaly::excess).reversed()
                .thenComparing(SpendAnomaly::day)
                .thenComparing(SpendAnomaly::dimension)
                .thenComparing(SpendAnomaly::name, Comparator.nullsLast(Comparator.naturalOrder())));
        return found;
    }

    private List<SpendAnomaly> scan(TimeWindow read, UsageFilter filter, ZoneId zone, Dimension dimension, SpendAnomaly.Dimension kind,
                                    LocalDate baselineStart, LocalDate last) {
        List<UsageCell> cells = aggregates.breakdown(read, filter, List.of(dimension), new Bucketing(zone, 86_400), MAX_CELLS);
        if (cells.size() > MAX_CELLS) {
            throw new BadInputException("from", "the window holds more than " + MAX_CELLS + " group-days of usage; ask for a shorter window");
        }
        int span = (int) (last.toEpochDay() - baselineStart.toEpochDay() + 1);
        Map<List<String>, double[]> series = new HashMap<>();
        for (UsageCell cell : cells) {
            QueryBudget.checkpoint();
            int index = (int) (cell.bucket().atZone(zone).toLocalDate().toEpochDay() - baselineStart.toEpochDay());
            if (index >= 0 && index < span) {
                series.computeIfAbsent(cell.stats().keys(), k -> new double[span])[index] += cell.stats().cost().doubleValue();
            }
        }
        Median median = new Median();
        List<SpendAnomaly> found = new ArrayList<>();
        series.forEach((key, spend) -> {
            int started = 0;
            while (started < span && spend[started] <= 0) {
                started++;
            }
            for (int day = BASELINE_DAYS; day < span; day++) {
                QueryBudget.checkpoint();
                int from = Math.max(day - BASELINE_DAYS, started);
                if (day - from < MIN_HISTORY_DAYS) {
                    continue;
                }
                double[] baseline = Arrays.copyOfRange(spend, from, day);
                double m = median.evaluate(baseline);
                double mad = median.evaluate(Arrays.stream(baseline).map(v -> Math.abs(v - m)).toArray());
                double scale = Math.max(MAD_TO_SIGMA * mad, 0.1 * m);
                double excess = spend[day] - m;
                if (excess >= minExcess && excess > threshold * scale) {
                    found.add(new SpendAnomaly(baselineStart.plusDays(day), kind, key.get(0), spend[day], m, mad,
                            scale > 0 ? excess / scale : null, excess));
                }
            }
        });
        return found;
    }
}

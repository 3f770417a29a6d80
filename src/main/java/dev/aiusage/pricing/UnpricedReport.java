package dev.aiusage.pricing;

import dev.aiusage.domain.TimeWindow;
import dev.aiusage.domain.UsageFilter;
import dev.aiusage.store.UsageAggregates;
import dev.aiusage.store.UsageCell;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code unpricedUsage}: the models whose calls had no price, from the rollups (counts and tokens by provider and
 * model, and the UTC days they fell on); first and last seen from the unpriced records of the first and last such
 * day only, so the cost grows with the unpriced models, not with the window.
 */
@Singleton
public class UnpricedReport {

    private final UsageAggregates aggregates;

    UnpricedReport(UsageAggregates aggregates) {
        this.aggregates = aggregates;
    }

    /** One model's unpriced calls in the window. */
    public record UnpricedModel(String provider, String model, long calls, long tokens, Instant firstSeen, Instant lastSeen) {
    }

    public List<UnpricedModel> unpriced(TimeWindow window, UsageFilter filter) {
        record Days(long calls, long tokens, Instant firstDay, Instant lastDay) {
        }
        Map<List<String>, Days> models = new LinkedHashMap<>();
        for (UsageCell cell : aggregates.modelDays(window, filter)) {
            if (cell.unpriced() == 0) {
                continue;
            }
            models.merge(cell.stats().keys(), new Days(cell.unpriced(), cell.unpricedTokens(), cell.bucket(), cell.bucket()),
                    (a, b) -> new Days(a.calls() + b.calls(), a.tokens() + b.tokens(),
                            a.firstDay().isBefore(b.firstDay()) ? a.firstDay() : b.firstDay(),
                            a.lastDay().isAfter(b.lastDay()) ? a.lastDay() : b.lastDay()));
        }
        List<UnpricedModel> list = new ArrayList<>();
        models.forEach((key, days) -> {
            UsageFilter one = new UsageFilter(filter.teams(), filter.users(), List.of(key.get(0)), List.of(key.get(1)),
                    filter.workflows(), filter.taskTypes());
            Instant first = seen(window, days.firstDay(), one, true);
            Instant last = seen(window, days.lastDay(), one, false);
            list.add(new UnpricedModel(key.get(0), key.get(1), days.calls(), days.tokens(), first, last));
        });
        list.sort(Comparator.comparingLong(UnpricedModel::calls).reversed()
                .thenComparing(UnpricedModel::provider).thenComparing(UnpricedModel::model));
        return list;
    }

    /**
     * The first (or last) unpriced call's instant within one UTC day of the window; where the raw records of that day
     * are gone, the day's start within the window (or its last instant).
     */
    private Instant seen(TimeWindow window, Instant day, UsageFilter one, boolean first) {
        Instant from = day.isBefore(window.from()) ? window.from() : day;
        Instant end = day.plus(1, ChronoUnit.DAYS);
        Instant to = end.isAfter(window.to()) ? window.to() : end;
        Instant[] span = aggregates.unpricedSpan(from, to, one);
        if (span == null) {
            return first ? from : to.minusMillis(1);
        }
        return first ? span[0] : span[1];
    }
}

package dev.aiusage.analysis;

import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.TimeWindow;
import dev.aiusage.domain.UsageFilter;
import dev.aiusage.store.Bucketing;
import dev.aiusage.store.Dimension;
import dev.aiusage.store.GroupStats;
import dev.aiusage.store.LatencySketch;
import dev.aiusage.store.UsageAggregates;
import dev.aiusage.store.UsageCell;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The generic breakdown dashboards draw from: sums per bucket and combination of the dimensions asked for, from
 * the rollups ({@link UsageAggregates#breakdown}), ordered and cut at a limit with the rest summed, optionally
 * beside the window of equal length just before. Weeks and months are summed here from the store's local days.
 */
@Singleton
public class UsageBreakdownService {
    public static final int MAX_LIMIT = 1000;
    /** Buckets one window may hold: 104 days of quarter hours, 416 days of hours. */
    public static final int MAX_BUCKETS = 10_000;
    /** Group-and-bucket cells one answer may sum before ordering (the memory an answer may take). */
    public static final int MAX_CELLS = 200_000;

    private final UsageAggregates aggregates;

    UsageBreakdownService(UsageAggregates aggregates) {
        this.aggregates = aggregates;
    }

    /** A row's place: its bucket's start (null when not bucketed) and its values in the order of groupBy. */
    private record RowKey(Instant bucket, List<String> values) {
    }

    /**
     * The breakdown; with {@code percentiles}, latency percentiles too, from a second read of the same rollup rows
     * (their sketches) merged only into the rows returned, the rest and the totals; with {@code costByKind}, the cost
     * by kind of token (from the rollups in SQL: the in-memory index does not keep it).
     */
    public UsageBreakdown usage(TimeWindow window, UsageFilter filter, List<Dimension> groupBy, Bucket bucket, String timeZone,
                                UsageOrder order, int limit, boolean comparePrevious, boolean percentiles, boolean costByKind) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadInputException("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        if (new HashSet<>(groupBy).size() != groupBy.size()) {
            throw new BadInputException("groupBy", "groupBy names a dimension more than once");
        }
        ZoneId zone = AnalyticsService.zone(timeZone);
        List<Instant> buckets = bucket == null ? List.of() : buckets(window, bucket, zone);
        TimeWindow before = comparePrevious ? new TimeWindow(window.from().minus(Duration.between(window.from(), window.to())), window.from()) : null;
        List<Instant> previousBuckets = before == null || bucket == null ? List.of() : buckets(before, bucket, zone);

        Map<RowKey, Sums> rows = rows(window, filter, groupBy, bucket, zone, costByKind);
        Map<RowKey, Sums> previousRows = before == null ? Map.of() : rows(before, filter, groupBy, bucket, zone, costByKind);
        Map<Instant, Integer> position = positions(buckets);
        Map<Instant, Integer> previousPosition = positions(previousBuckets);
        Map<RowKey, Sums> previous = before == null ? Map.of() : byPosition(previousRows, previousPosition);

        List<Map.Entry<RowKey, Sums>> shown = first(rows, limit, order);
        Sums total = new Sums();
        for (Sums row : rows.values()) {
            total.add(row, 1);
        }
        // the rows not shown: the total less those shown (every sum is exact), not a second walk over all rows
        Sums other = new Sums();
        other.add(total, 1);
        shown.forEach(e -> other.add(e.getValue(), -1));
        Sums previousTotal = null;
        if (before != null) {
            previousTotal = new Sums();
            for (Sums s : previousRows.values()) {
                previousTotal.add(s, 1);
            }
        }
        if (percentiles) {
            Map<RowKey, Sums> byKey = new HashMap<>();
            shown.forEach(e -> byKey.put(e.getKey(), e.getValue()));
            Sums rest = other;
            Sums all = total;
            aggregates.latencies(window, filter, groupBy, bucketing(bucket, zone), (at, values, sketch, latency) -> {
                Sums row = byKey.get(new RowKey(start(at, bucket, zone), values));
                for (Sums target : new Sums[]{row == null ? rest : row, all}) {
                    target.addLatency(sketch, latency);
                }
            });
            if (before != null) {
                Map<RowKey, Sums> byPosition = new HashMap<>();
                shown.forEach(e -> {
                    RowKey key = atPosition(e.getKey(), position);
                    if (key != null) {
                        byPosition.put(key, previous.computeIfAbsent(key, k -> new Sums()));
                    }
                });
                Sums allBefore = previousTotal;
                aggregates.latencies(before, filter, groupBy, bucketing(bucket, zone), (at, values, sketch, latency) -> {
                    RowKey key = atPosition(new RowKey(start(at, bucket, zone), values), previousPosition);
                    Sums row = key == null ? null : byPosition.get(key);
                    if (row != null) {
                        row.addLatency(sketch, latency);
                    }
                    allBefore.addLatency(sketch, latency);
                });
            }
        }
        List<UsageRow> answer = new ArrayList<>(shown.size());
        for (Map.Entry<RowKey, Sums> entry : shown) {
            UsageMeasures then = null;
            if (before != null) {
                Sums s = previous.get(atPosition(entry.getKey(), position));
                then = (s == null ? new Sums() : s).measures();
            }
            answer.add(row(entry.getKey(), groupBy, entry.getValue().measures(), then));
        }
        boolean truncated = rows.size() > limit;
        return new UsageBreakdown(answer, total.measures(), truncated ? other.measures() : null, truncated,
                previousTotal == null ? null : previousTotal.measures());
    }

    /**
     * The first {@code limit} rows in {@code order}, in that order, without sorting them all (17,280 rows of a team
     * per hour over 30 days, 1,000 shown, took half the answer's time sorted): where the order leads with a whole
     * number (the bucket's start, requests, tokens), only the rows up to the {@code limit}-th smallest of it are
     * sorted, since every row past it comes after at least {@code limit} others; by cost, a bounded heap.
     */
    private static List<Map.Entry<RowKey, Sums>> first(Map<RowKey, Sums> rows, int limit, UsageOrder order) {
        Comparator<Map.Entry<RowKey, Sums>> comparator = comparator(order);
        if (rows.size() <= limit) {
            List<Map.Entry<RowKey, Sums>> all = new ArrayList<>(rows.entrySet());
            all.sort(comparator);
            return all;
        }
        java.util.function.ToLongFunction<Map.Entry<RowKey, Sums>> lead = leadingKey(order, rows.keySet().iterator().next().bucket() != null);
        if (lead != null) {
            long[] keys = new long[rows.size()];
            int i = 0;
            for (Map.Entry<RowKey, Sums> row : rows.entrySet()) {
                keys[i++] = lead.applyAsLong(row);
            }
            long[] sorted = keys.clone();
            java.util.Arrays.sort(sorted);
            long cut = sorted[limit - 1];
            List<Map.Entry<RowKey, Sums>> candidates = new ArrayList<>(limit);
            i = 0;
            for (Map.Entry<RowKey, Sums> row : rows.entrySet()) {
                if (keys[i++] <= cut) {
                    candidates.add(row);
                }
            }
            candidates.sort(comparator);
            return candidates.subList(0, limit);
        }
        // the heap's head is the last of the rows kept so far
        java.util.PriorityQueue<Map.Entry<RowKey, Sums>> kept = new java.util.PriorityQueue<>(limit + 1, comparator.reversed());
        for (Map.Entry<RowKey, Sums> row : rows.entrySet()) {
            if (kept.size() < limit) {
                kept.add(row);
            } else if (comparator.compare(row, kept.peek()) < 0) {
                kept.poll();
                kept.add(row);
            }
        }
        List<Map.Entry<RowKey, Sums>> shown = new ArrayList<>(kept);
        shown.sort(comparator);
        return shown;
    }

    /**
     * What {@code order} sorts by first, as a number that ascends with it, or null when that is the cost (a decimal)
     * or, for {@link UsageOrder#BUCKET_ASC}, when the rows are not bucketed (it then sorts by cost).
     */
    private static java.util.function.ToLongFunction<Map.Entry<RowKey, Sums>> leadingKey(UsageOrder order, boolean bucketed) {
        return switch (order) {
            case BUCKET_ASC -> bucketed ? e -> e.getKey().bucket().getEpochSecond() : null;
            case REQUESTS_DESC -> e -> -e.getValue().requests;
            case TOKENS_DESC -> e -> -e.getValue().tokens;
            case COST_DESC -> null;
        };
    }

    private static Bucketing bucketing(Bucket bucket, ZoneId zone) {
        return bucket == null ? null : new Bucketing(zone, bucket.slotSeconds);
    }

    /** The start of the answer's bucket holding a store bucket that starts at {@code at}: weeks and months from days. */
    private static Instant start(Instant at, Bucket bucket, ZoneId zone) {
        if (bucket == Bucket.WEEK || bucket == Bucket.MONTH) {
            return bucket.startOf(at.atZone(zone).toLocalDate()).atStartOfDay(zone).toInstant();
        }
        return at;
    }

    /** The store's cells summed into rows: local days into weeks or months where asked. */
    private Map<RowKey, Sums> rows(TimeWindow window, UsageFilter filter, List<Dimension> groupBy, Bucket bucket, ZoneId zone,
                                   boolean costByKind) {
        List<UsageCell> cells = aggregates.breakdown(window, filter, groupBy, bucketing(bucket, zone), MAX_CELLS, costByKind);
        if (cells.size() > MAX_CELLS) {
            throw new BadInputException("groupBy", "this grouping has more than " + MAX_CELLS
                    + " rows in the window before the limit; group by fewer dimensions, use a coarser bucket or a shorter window");
        }
        // linked: walked three times more (the first rows, the total), and a hash table's walk visits its empty slots
        Map<RowKey, Sums> rows = new LinkedHashMap<>();
        for (UsageCell cell : cells) {
            if (cell.stats().requests() == 0) {
                continue;
            }
            rows.computeIfAbsent(new RowKey(start(cell.bucket(), bucket, zone), cell.stats().keys()), k -> new Sums()).add(cell);
        }
        return rows;
    }

    /**
     * Rows keyed by their bucket's position in the window (as an instant of that many seconds, a stand-in) rather
     * than by its start, so the previous window's third day matches this window's third day.
     */
    private static Map<RowKey, Sums> byPosition(Map<RowKey, Sums> rows, Map<Instant, Integer> position) {
        Map<RowKey, Sums> moved = new HashMap<>();
        rows.forEach((key, sums) -> {
            RowKey moved1 = atPosition(key, position);
            if (moved1 != null) {
                moved.put(moved1, sums);
            }
        });
        return moved;
    }

    /** The key with its bucket replaced by the bucket's position (null when the key has no bucket, or one outside). */
    private static RowKey atPosition(RowKey key, Map<Instant, Integer> position) {
        if (key.bucket() == null) {
            return key;
        }
        Integer at = position.get(key.bucket());
        return at == null ? null : new RowKey(Instant.ofEpochSecond(at), key.values());
    }

    private static Map<Instant, Integer> positions(List<Instant> buckets) {
        Map<Instant, Integer> position = new LinkedHashMap<>();
        for (int i = 0; i < buckets.size(); i++) {
            position.put(buckets.get(i), i);
        }
        return position;
    }

    /**
     * The starts of the buckets that overlap the window, in order; the first may start before {@code from} (the
     * calendar bucket holding it). Refused past {@link #MAX_BUCKETS}.
     */
    static List<Instant> buckets(TimeWindow window, Bucket bucket, ZoneId zone) {
        List<Instant> starts = new ArrayList<>();
        if (bucket.slotSeconds < 86_400) {
            long estimate = Duration.between(window.from(), window.to()).getSeconds() / bucket.slotSeconds;
            if (estimate > MAX_BUCKETS) {
                throw new BadInputException("bucket", "a window may hold at most " + MAX_BUCKETS + " buckets, and this one holds about "
                        + estimate + "; use a coarser bucket or a shorter window");
            }
            Instant t = slotStart(window.from(), bucket.slotSeconds, zone);
            while (t.isBefore(window.to())) {
                starts.add(t);
                Instant next = slotStart(t.plusSeconds(bucket.slotSeconds), bucket.slotSeconds, zone);
                t = next.isAfter(t) ? next : t.plusSeconds(bucket.slotSeconds);
            }
            return starts;
        }
        for (LocalDate day = bucket.startOf(window.from().atZone(zone).toLocalDate()); ; day = bucket.next(day)) {
            Instant start = day.atStartOfDay(zone).toInstant();
            if (!start.isBefore(window.to())) {
                return starts;
            }
            starts.add(start);
        }
    }

    /** Start of the local quarter hour or hour holding {@code t}, as the store computes it. */
    private static Instant slotStart(Instant t, long seconds, ZoneId zone) {
        long offset = zone.getRules().getOffset(t).getTotalSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond() + offset, seconds) * seconds - offset);
    }

    private static UsageRow row(RowKey key, List<Dimension> groupBy, UsageMeasures measures, UsageMeasures previous) {
        Map<Dimension, String> values = new HashMap<>();
        for (int i = 0; i < groupBy.size(); i++) {
            values.put(groupBy.get(i), key.values().get(i));
        }
        return new UsageRow(key.bucket(), values.get(Dimension.TEAM), values.get(Dimension.USER), values.get(Dimension.PROVIDER),
                values.get(Dimension.MODEL), values.get(Dimension.WORKFLOW), values.get(Dimension.TASK_TYPE), measures, previous);
    }

    private static Comparator<Map.Entry<RowKey, Sums>> comparator(UsageOrder order) {
        Comparator<Map.Entry<RowKey, Sums>> cost = Comparator.comparing(e -> e.getValue().cost, Comparator.reverseOrder());
        Comparator<Map.Entry<RowKey, Sums>> bucket = Comparator.comparing(e -> e.getKey().bucket(), Comparator.nullsFirst(Comparator.naturalOrder()));
        Comparator<Map.Entry<RowKey, Sums>> values = (a, b) -> compareValues(a.getKey().values(), b.getKey().values());
        Comparator<Map.Entry<RowKey, Sums>> first = switch (order) {
            case COST_DESC -> cost;
            case REQUESTS_DESC -> Comparator.<Map.Entry<RowKey, Sums>>comparingLong(e -> e.getValue().requests).reversed().thenComparing(cost);
            case TOKENS_DESC -> Comparator.<Map.Entry<RowKey, Sums>>comparingLong(e -> e.getValue().tokens).reversed().thenComparing(cost);
            case BUCKET_ASC -> bucket.thenComparing(cost);
        };
        return first.thenComparing(bucket).thenComparing(values);
    }

    /** Value by value, a missing value (null) after every name. */
    private static int compareValues(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            String x = a.get(i);
            String y = b.get(i);
            int c = x == null ? (y == null ? 0 : 1) : (y == null ? -1 : x.compareTo(y));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Exact running sums of cells; averages only at the end. */
    private static final class Sums {
        long requests;
        BigDecimal cost = BigDecimal.ZERO;
        long inputTokens;
        long outputTokens;
        long tokens;
        long latencySum;
        long latencyCount;
        BigDecimal qualitySum = BigDecimal.ZERO;
        long qualityCount;
        long passed;
        long verdicts;
        long cacheRead;
        long cacheWrite;
        long reasoning;
        long unpriced;
        long unpricedTokens;
        /** The cost by kind (zeros unless asked for). */
        final BigDecimal[] byKind = {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO};
        /** Whether a cell with the cost by kind was added (else {@link #byKind} is zeros). */
        boolean byKindAdded;
        /** The latencies, when percentiles are asked for. */
        LatencySketch latency;

        void addLatency(LatencySketch sketch, Integer latencyMs) {
            if (latency == null) {
                latency = LatencySketch.empty();
            }
            if (sketch != null) {
                latency.merge(sketch);
            } else {
                latency.add(latencyMs);
            }
        }

        void add(UsageCell cell) {
            GroupStats s = cell.stats();
            requests += s.requests();
            cost = cost.add(s.cost());
            inputTokens += cell.inputTokens();
            outputTokens += cell.outputTokens();
            tokens += s.tokens();
            latencySum += s.latencySum();
            latencyCount += s.latencyCount();
            qualitySum = qualitySum.add(s.qualitySum());
            qualityCount += s.qualityCount();
            passed += s.passed();
            verdicts += s.verdicts();
            cacheRead += cell.cacheReadTokens();
            cacheWrite += cell.cacheWriteTokens();
            reasoning += cell.reasoningTokens();
            unpriced += cell.unpriced();
            unpricedTokens += cell.unpricedTokens();
            if (cell.costByKind() != null) {
                byKindAdded = true;
                for (int i = 0; i < byKind.length; i++) {
                    byKind[i] = byKind[i].add(cell.costByKind()[i]);
                }
            }
        }

        /** Adds ({@code sign} 1) or takes away (-1) another row's sums, not its latencies. */
        void add(Sums o, int sign) {
            requests += sign * o.requests;
            cost = sign > 0 ? cost.add(o.cost) : cost.subtract(o.cost);
            inputTokens += sign * o.inputTokens;
            outputTokens += sign * o.outputTokens;
            tokens += sign * o.tokens;
            latencySum += sign * o.latencySum;
            latencyCount += sign * o.latencyCount;
            qualitySum = sign > 0 ? qualitySum.add(o.qualitySum) : qualitySum.subtract(o.qualitySum);
            qualityCount += sign * o.qualityCount;
            passed += sign * o.passed;
            verdicts += sign * o.verdicts;
            cacheRead += sign * o.cacheRead;
            cacheWrite += sign * o.cacheWrite;
            reasoning += sign * o.reasoning;
            unpriced += sign * o.unpriced;
            unpricedTokens += sign * o.unpricedTokens;
            if (o.byKindAdded) {
                byKindAdded = true;
                for (int i = 0; i < byKind.length; i++) {
                    byKind[i] = sign > 0 ? byKind[i].add(o.byKind[i]) : byKind[i].subtract(o.byKind[i]);
                }
            }
        }

        UsageMeasures measures() {
            return new UsageMeasures(cost.doubleValue(), requests, inputTokens, outputTokens, tokens,
                    latencyCount == 0 ? null : (double) latencySum / latencyCount,
                    latency == null ? null : latency.quantile(0.50), latency == null ? null : latency.quantile(0.95),
                    latency == null ? null : latency.quantile(0.99), qualityCount,
                    qualityCount == 0 ? null : qualitySum.divide(BigDecimal.valueOf(qualityCount), MathContext.DECIMAL64).doubleValue(),
                    verdicts == 0 ? null : (double) passed / verdicts, cacheRead, cacheWrite, reasoning, unpriced, unpricedTokens,
                    costByKind());
        }

        /** The cost by kind; what the kinds leave of the cost is fees and calls the catalog could not split. */
        private CostByKind costByKind() {
            BigDecimal[] k = byKind;
            BigDecimal other = cost;
            for (BigDecimal part : k) {
                other = other.subtract(part);
            }
            return new CostByKind(k[0].doubleValue(), k[1].doubleValue(), k[2].doubleValue(), k[3].doubleValue(), k[4].doubleValue(),
                    other.doubleValue());
        }
    }
}

package dev.aiusage.analysis;

import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.TimeWindow;
import dev.aiusage.domain.UsageFilter;
import dev.aiusage.store.GroupStats;
import dev.aiusage.store.RecordCursor;
import dev.aiusage.store.StoreSummary;
import dev.aiusage.store.UsageAggregates;
import dev.aiusage.store.UsageRecord;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;

/** Pages through stored records newest first, by keyset in either direction, so every page costs the same. */
@Singleton
public class RecordBrowser {
    public static final int MAX_PAGE = 1000;
    public static final int DEFAULT_PAGE = 50;

    private final UsageAggregates aggregates;
    private final Clock clock;

    public RecordBrowser(UsageAggregates aggregates, Clock clock) {
        this.aggregates = aggregates;
        this.clock = clock;
    }

    /**
     * Unlike the analytics, no window is implied: without {@code days}, {@code from} or {@code to} every record
     * is eligible; {@code days} alone means the days before now, and with only {@code to}, the days before it.
     * Forward ({@code first}, {@code after}: older records) or backward ({@code last}, {@code before}: newer
     * ones), never both; {@code first} is 50 when neither size is given. With {@code count}, the page also
     * carries how many records the window and filter hold in all, summed from the rollups.
     */
    public RecordPage page(UsageFilter filter, Integer days, OffsetDateTime from, OffsetDateTime to,
                           Integer first, String after, Integer last, String before, boolean count) {
        if (first != null && last != null) {
            throw new BadInputException("last", "give first (with after) or last (with before), not both");
        }
        if (after != null && before != null) {
            throw new BadInputException("before", "give after (with first) or before (with last), not both");
        }
        boolean backward = last != null || before != null;
        if (backward && first != null) {
            throw new BadInputException("first", "before pages backward: give last with it, not first");
        }
        if (backward && after != null) {
            throw new BadInputException("after", "last pages backward: give before with it, not after");
        }
        int size = backward ? (last == null ? DEFAULT_PAGE : last) : (first == null ? DEFAULT_PAGE : first);
        if (size < 1 || size > MAX_PAGE) {
            throw new BadInputException(backward ? "last" : "first", (backward ? "last" : "first") + " must be between 1 and " + MAX_PAGE);
        }
        Instant start = from == null ? null : from.toInstant();
        Instant end = to == null ? null : to.toInstant();
        if (days != null) {
            TimeWindow window = TimeWindow.resolve(days, from, to, clock);
            start = window.from();
            end = window.to();
        } else {
            TimeWindow.checkOrdered(start, end);
        }
        RecordCursor cursor = backward ? (before == null ? null : decode(before, "before")) : (after == null ? null : decode(after, "after"));
        List<UsageRecord> rows = aggregates.page(start, end, filter, cursor, backward, size + 1);
        boolean more = rows.size() > size;
        // backward, the extra record read is the one farthest from the cursor: the newest, first once turned round
        List<UsageRecord> kept = more && backward ? rows.subList(1, rows.size()) : rows.stream().limit(size).toList();
        List<RecordPage.Edge> edges = kept.stream().map(r -> new RecordPage.Edge(encode(r), r)).toList();
        Long total = count ? totalCount(start, end, filter) : null;
        return backward ? new RecordPage(edges, cursor != null, more, total) : new RecordPage(edges, more, cursor != null, total);
    }

    /**
     * Records in the window and filter, summed from the rollups (the window's edges from the records, as every
     * analytics answer): never a count over the raw table. An open end is the oldest or newest record stored.
     */
    private long totalCount(Instant start, Instant end, UsageFilter filter) {
        if (start == null || end == null) {
            StoreSummary stored = aggregates.spanOnly();
            if (stored.oldest() == null) {
                return 0;
            }
            start = start == null ? stored.oldest() : start;
            end = end == null ? stored.newest().plusNanos(1) : end;
            if (!start.isBefore(end)) {
                return 0;
            }
            if (Duration.between(start, end).compareTo(Duration.ofDays(TimeWindow.MAX_DAYS)) > 0) {
                throw new BadInputException("totalCount", "the records stored span more than " + TimeWindow.MAX_DAYS
                        + " days: give a window (days, from or to) to count them");
            }
        }
        return aggregates.groupStats(new TimeWindow(start, end), filter, List.of()).stream().mapToLong(GroupStats::requests).sum();
    }

    static String encode(UsageRecord record) {
        String raw = record.ts().getEpochSecond() + ":" + record.ts().getNano() + ":" + record.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static RecordCursor decode(String cursor, String argument) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            if (parts.length != 3) {
                throw new IllegalArgumentException();
            }
            Instant ts = Instant.ofEpochSecond(Long.parseLong(parts[0])).plus(Duration.ofNanos(Long.parseLong(parts[1])));
            return new RecordCursor(ts, Long.parseLong(parts[2]));
        } catch (IllegalArgumentException | java.time.DateTimeException | ArithmeticException e) {
            throw new BadInputException(argument, argument + " is not a cursor returned by usageRecords");
        }
    }
}

package dev.aiusage.analysis;

import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.TimeWindow;
import dev.aiusage.domain.UsageFilter;
import dev.aiusage.store.RecordCursor;
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

/** Pages through stored records newest first, by keyset, so every page costs the same. */
@Singleton
public class RecordBrowser {
    public static final int MAX_PAGE = 1000;

    private final UsageAggregates aggregates;
    private final Clock clock;

    public RecordBrowser(UsageAggregates aggregates, Clock clock) {
        this.aggregates = aggregates;
        this.clock = clock;
    }

    /**
     * Unlike the analytics, no window is implied: without {@code days}, {@code from} or {@code to} every record
     * is eligible; {@code days} alone means the days before now, and with only {@code to}, the days before it.
     */
    public RecordPage page(UsageFilter filter, Integer days, OffsetDateTime from, OffsetDateTime to, int first, String after) {
        if (first < 1 || first > MAX_PAGE) {
            throw new BadInputException("first", "first must be between 1 and " + MAX_PAGE);
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
        RecordCursor cursor = after == null ? null : decode(after);
        List<UsageRecord> rows = aggregates.page(start, end, filter, cursor, first + 1);
        boolean more = rows.size() > first;
        List<RecordPage.Edge> edges = rows.stream().limit(first).map(r -> new RecordPage.Edge(encode(r), r)).toList();
        return new RecordPage(edges, more, cursor != null);
    }

    static String encode(UsageRecord record) {
        String raw = record.ts().getEpochSecond() + ":" + record.ts().getNano() + ":" + record.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static RecordCursor decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            if (parts.length != 3) {
                throw new IllegalArgumentException();
            }
            Instant ts = Instant.ofEpochSecond(Long.parseLong(parts[0])).plus(Duration.ofNanos(Long.parseLong(parts[1])));
            return new RecordCursor(ts, Long.parseLong(parts[2]));
        } catch (IllegalArgumentException | java.time.DateTimeException | ArithmeticException e) {
            throw new BadInputException("after", "after is not a cursor returned by usageRecords");
        }
    }
}

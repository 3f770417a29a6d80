package dev.aiusage.store;

import java.util.LinkedHashMap;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

/**
 * The folded records of some UTC days (or hours), per epoch day (or hour), as an in-memory index keeps them for its
 * partial days (or hours): loaded on first use, least recently used days dropped while more than {@code maxRecords}
 * are kept (never the day just asked for, nor below {@value #MIN_DAYS} days). Safe for concurrent readers; a day's own
 * contents guard themselves.
 */
final class DayCache<T> {
    /**
     * Days kept whatever their records: the three edges of a window and of the window just before it, which a
     * comparison with the previous window reads in one request. With two kept, at 10M records (111,000 a day, past
     * a share of 200,000) each such request dropped a day the next one read again: 1.1 s where one window took 3 ms.
     */
    static final int MIN_DAYS = 3;
    private final LinkedHashMap<Long, T> days = new LinkedHashMap<>(16, 0.75f, true);
    private final ToLongFunction<T> size;
    private final long maxRecords;
    private long records;

    DayCache(ToLongFunction<T> size, long maxRecords) {
        this.size = size;
        this.maxRecords = maxRecords;
    }

    /** Day {@code day}, loaded by {@code load} (outside the cache's lock) when not kept. */
    T get(long day, LongFunction<T> load) {
        synchronized (days) {
            T cached = days.get(day);
            if (cached != null) {
                return cached;
            }
        }
        T loaded = load.apply(day);
        synchronized (days) {
            T raced = days.putIfAbsent(day, loaded);
            if (raced != null) {
                return raced;
            }
            records += size.applyAsLong(loaded);
            var oldest = days.entrySet().iterator();
            while (records > maxRecords && days.size() > MIN_DAYS && oldest.hasNext()) {
                var entry = oldest.next();
                if (entry.getKey() != day) {
                    records -= size.applyAsLong(entry.getValue());
                    oldest.remove();
                }
            }
            return loaded;
        }
    }

    /** Day {@code day} if kept, for a fold to add its records to; call {@link #added} for each. */
    T ifKept(long day) {
        synchronized (days) {
            return days.get(day);
        }
    }

    void added(long n) {
        synchronized (days) {
            records += n;
        }
    }

    void clear() {
        synchronized (days) {
            days.clear();
            records = 0;
        }
    }
}

package dev.aiusage.live;

import dev.aiusage.domain.UsageFilter;
import dev.aiusage.store.RollupFolder;
import dev.aiusage.store.UsageRecord;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every record as it is folded (at most {@code aiusage.store.fold.interval} after it was acknowledged, on every
 * instance: a fold of another instance on the same database is followed like one's own), to each subscriber
 * whose filter it matches. Fed from the fold, the feed costs no read of its own and carries the stored record
 * with its id.
 *
 * <p>The fold thread only offers the matching records to each subscriber's bounded queue
 * ({@code aiusage.live.queue}, by default as many as one fold step holds, so no subscriber is dropped for one
 * large step alone); two feed threads deliver them from there. A subscriber whose queue would overflow is ended
 * with {@link SlowConsumerException}: it has fallen behind by a whole queue, and holding records for it would
 * grow memory or stall the fold. The queues hold references to records the fold read once, shared by all.
 */
@Singleton
public class UsageFeed {
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final int queueSize;
    private final int maxSubscribers;
    private final ExecutorService delivery;

    UsageFeed(RollupFolder folder, @Value("${aiusage.live.queue:50000}") int queueSize,
              @Value("${aiusage.live.max-subscribers:500}") int maxSubscribers) {
        this.queueSize = Math.max(1, queueSize);
        this.maxSubscribers = Math.max(1, maxSubscribers);
        AtomicInteger n = new AtomicInteger();
        this.delivery = Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "live-feed-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        folder.onFolded((records, from, to) -> publish(records));
    }

    /** The records folded from now on that match {@code filter}; ends with an error when the subscriber falls behind. */
    public Publisher<UsageRecord> subscribe(UsageFilter filter) {
        return Flux.create(sink -> {
            if (subscribers.size() >= maxSubscribers) {
                sink.error(new TooManySubscribersException(maxSubscribers));
                return;
            }
            Subscriber subscriber = new Subscriber(filter, sink, new LinkedBlockingQueue<>(queueSize));
            subscribers.add(subscriber);
            sink.onDispose(() -> subscribers.remove(subscriber));
        }, FluxSink.OverflowStrategy.BUFFER);
    }

    /** How many subscriptions are open now. */
    public int subscribers() {
        return subscribers.size();
    }

    private void publish(List<UsageRecord> records) {
        for (Subscriber subscriber : subscribers) {
            List<UsageRecord> matching = new ArrayList<>();
            for (UsageRecord record : records) {
                if (record.matches(subscriber.filter)) {
                    matching.add(record);
                }
            }
            if (matching.isEmpty()) {
                continue;
            }
            if (subscriber.queue.remainingCapacity() < matching.size()) {
                subscribers.remove(subscriber);
                subscriber.sink.error(new SlowConsumerException(queueSize));
                continue;
            }
            subscriber.queue.addAll(matching);
            if (subscriber.draining.compareAndSet(false, true)) {
                delivery.execute(() -> drain(subscriber));
            }
        }
    }

    private void drain(Subscriber subscriber) {
        do {
            for (UsageRecord record = subscriber.queue.poll(); record != null; record = subscriber.queue.poll()) {
                if (subscriber.sink.isCancelled()) {
                    subscriber.queue.clear();
                    break;
                }
                subscriber.sink.next(record);
            }
            subscriber.draining.set(false);
            // a record offered after the last poll and before the flag fell is drained here rather than left behind
        } while (!subscriber.queue.isEmpty() && subscriber.draining.compareAndSet(false, true));
    }

    @PreDestroy
    void stop() {
        delivery.shutdownNow();
    }

    private record Subscriber(UsageFilter filter, FluxSink<UsageRecord> sink, BlockingQueue<UsageRecord> queue, AtomicBoolean draining) {
        Subscriber(UsageFilter filter, FluxSink<UsageRecord> sink, BlockingQueue<UsageRecord> queue) {
            this(filter, sink, queue, new AtomicBoolean());
        }
    }

    /** A subscriber fell behind by a whole queue and was dropped. */
    public static final class SlowConsumerException extends RuntimeException {
        SlowConsumerException(int queue) {
            super("This subscription fell " + queue + " records behind and was ended; subscribe again.");
        }
    }

    /** The feed has as many subscriptions as it takes. */
    public static final class TooManySubscribersException extends RuntimeException {
        TooManySubscribersException(int max) {
            super("The service has " + max + " live subscriptions open, the most it takes; retry later.");
        }
    }
}

package dev.aiusage.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * The request ids of records not folded yet, and of batches being stored, in memory: the half of the idempotency
 * check that {@code request_key} (written by the fold) does not cover yet. Bounded by the records waiting to be
 * folded ({@code aiusage.store.fold.max-tail}) and the batches in flight.
 *
 * <p>A batch reserves its ids in sorted order before it stores them. An id reserved by a batch still in flight
 * makes the next one wait for that batch's outcome: stored, it is a duplicate; rolled back, it is free again. Since
 * every batch reserves in the same order, no two wait for each other.
 */
final class UnfoldedRequestIds {
    /** An id whose record is stored (committed) and not folded yet. */
    private static final CountDownLatch STORED = new CountDownLatch(0);

    private final ConcurrentHashMap<String, CountDownLatch> ids = new ConcurrentHashMap<>();

    /**
     * A record's idempotency key: its team and its requestId (unique per team). Names hold no control
     * characters, so the separator cannot occur in either part.
     */
    static String key(String team, String requestId) {
        return team + '\u0000' + requestId;
    }

    UnfoldedRequestIds(Collection<String> stored) {
        stored.forEach(id -> ids.put(id, STORED));
    }

    /** The ids one batch reserved, to be settled when its transaction ends. */
    final class Reservation {
        private final CountDownLatch done = new CountDownLatch(1);
        private final List<String> held = new ArrayList<>();

        /**
         * Reserves {@code id} for this batch, waiting for a batch in flight that holds it; false when a stored
         * record already has it.
         */
        boolean reserve(String id) {
            while (true) {
                CountDownLatch holder = ids.putIfAbsent(id, done);
                if (holder == null) {
                    held.add(id);
                    return true;
                }
                if (holder == STORED) {
                    return false;
                }
                try {
                    holder.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a batch with the same request id", e);
                }
            }
        }

        /** The batch committed: its ids belong to stored records now. */
        void stored() {
            held.forEach(id -> ids.replace(id, done, STORED));
            done.countDown();
        }

        /** The batch rolled back: its ids are free again. */
        void released() {
            held.forEach(id -> ids.remove(id, done));
            done.countDown();
        }
    }

    Reservation reservation() {
        return new Reservation();
    }

    /** The fold wrote these ids to {@code request_key}. */
    void folded(Collection<String> folded) {
        folded.forEach(id -> ids.remove(id, STORED));
    }

    int size() {
        return ids.size();
    }
}

package dev.aiusage.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a time range into the coarsest whole rollup buckets it contains, with the raw records only for the
 * edges that are shorter than the finest bucket. The parts are disjoint and together cover the range exactly,
 * so summing them gives what the raw records give.
 */
final class WindowPlan {
    /** One part: whole buckets of {@code grain} in {@code [from, to)}, or raw records when grain is null. */
    record Part(Grain grain, Instant from, Instant to) {
    }

    private final List<Part> parts = new ArrayList<>();
    private List<Grain> grains;

    private WindowPlan() {
    }

    /**
     * Plans {@code [from, to)} with the buckets of {@code grains} (finest first) that are no coarser than
     * {@code coarsest}; with none, raw records only.
     */
    static WindowPlan of(Instant from, Instant to, List<Grain> grains, Grain coarsest) {
        WindowPlan plan = new WindowPlan();
        plan.grains = grains.stream().filter(g -> coarsest != null && g.ordinal() <= coarsest.ordinal()).toList();
        plan.split(from, to, plan.grains.size() - 1);
        return plan;
    }

    List<Part> parts() {
        return parts;
    }

    /** From the first bucket part's start to the last one's end (they are contiguous), if there is any. */
    java.util.Optional<Part> bucketSpan() {
        List<Part> buckets = parts.stream().filter(p -> p.grain() != null).toList();
        return buckets.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(new Part(null, buckets.get(0).from(), buckets.get(buckets.size() - 1).to()));
    }

    private void split(Instant from, Instant to, int grainIndex) {
        if (!from.isBefore(to)) {
            return;
        }
        if (grainIndex < 0) {
            parts.add(new Part(null, from, to));
            return;
        }
        Grain grain = grains.get(grainIndex);
        Instant start = grain.ceil(from);
        Instant end = grain.floor(to);
        if (start.isBefore(end)) {
            split(from, start, grainIndex - 1);
            parts.add(new Part(grain, start, end));
            split(end, to, grainIndex - 1);
        } else {
            split(from, to, grainIndex - 1);
        }
    }
}

package dev.aiusage.store;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.StringJoiner;

/**
 * Latencies of a set of calls as a DDSketch (Datadog's sketches-java) with 1% relative accuracy: any percentile
 * read from it lies within 1% of the exact one (the latency at rank ⌊q·(n−1)⌋ of the sorted latencies), and two
 * sketches merge into exactly the sketch of both sets, so the rollups keep one per row and any set of rows
 * combines. Stored in DDSketch's own compact encoding (a few bytes per distinct 2%-wide latency band), without
 * its index mapping, which is the same for every sketch here (saving its 17 bytes in every rollup row).
 */
public final class LatencySketch {
    /** The relative accuracy every sketch is kept at. */
    public static final double RELATIVE_ACCURACY = 0.01;
    private static final IndexMapping MAPPING = new LogarithmicMapping(RELATIVE_ACCURACY);

    private final DDSketch sketch;

    private LatencySketch(DDSketch sketch) {
        this.sketch = sketch;
    }

    public static LatencySketch empty() {
        return new LatencySketch(new DDSketch(MAPPING, UnboundedSizeDenseStore::new));
    }

    public void add(double latencyMs) {
        sketch.accept(latencyMs);
    }

    /** Adds the calls of an encoded sketch. */
    public void merge(byte[] encoded) {
        try {
            sketch.decodeAndMergeWith(ByteArrayInput.wrap(encoded));
        } catch (IOException e) {
            throw new UncheckedIOException("a stored latency sketch does not decode", e);
        }
    }

    /** Adds the calls of another sketch (which stays as it was). */
    public void merge(LatencySketch other) {
        sketch.mergeWith(other.sketch);
    }

    public boolean isEmpty() {
        return sketch.isEmpty();
    }

    /** The latency at quantile {@code q} (0 to 1), or null when the sketch holds no call. */
    public Double quantile(double q) {
        return sketch.isEmpty() ? null : sketch.getValueAtQuantile(q);
    }

    public byte[] encode() {
        GrowingByteArrayOutput out = GrowingByteArrayOutput.withDefaultInitialCapacity();
        try {
            sketch.encode(out, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.trimmedCopy();
    }

    /** Two encodings merged into one. */
    static byte[] merged(byte[] a, byte[] b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        LatencySketch sketch = decode(a);
        sketch.merge(b);
        return sketch.encode();
    }

    static LatencySketch decode(byte[] encoded) {
        try {
            return new LatencySketch(DDSketch.decode(ByteArrayInput.wrap(encoded), UnboundedSizeDenseStore::new, MAPPING));
        } catch (IOException e) {
            throw new UncheckedIOException("a stored latency sketch does not decode", e);
        }
    }

    /** The bins and their counts, for telling whether two sketches hold the same calls whatever their encoding. */
    static String bins(byte[] encoded) {
        if (encoded == null) {
            return null;
        }
        DDSketch s = decode(encoded).sketch;
        StringJoiner bins = new StringJoiner(" ", "zero " + (s.getCount() - s.getPositiveValueStore().getTotalCount()
                - s.getNegativeValueStore().getTotalCount()) + ": ", "");
        s.getPositiveValueStore().getAscendingStream().forEach(bin -> bins.add(bin.getIndex() + "x" + bin.getCount()));
        return bins.toString();
    }
}

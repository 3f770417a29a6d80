package dev.aiusage.analysis;

import org.hipparchus.distribution.continuous.NormalDistribution;
import org.hipparchus.distribution.continuous.TDistribution;
import org.hipparchus.stat.interval.BinomialProportion;
import org.hipparchus.stat.interval.ConfidenceInterval;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The statistics behind substitution verdicts, from sums alone (count, sum, sum of squares per model), so they cost
 * O(groups) like the rest of the analytics. The distributions are Hipparchus's; what is ours is which test is asked:
 * <ul>
 *   <li>Welch: d = mean(a) − mean(b), sample variances with n − 1, se = √(s²ₐ/nₐ + s²ᵦ/nᵦ), Welch–Satterthwaite
 *       degrees of freedom; the two-sided interval d ± t(1 − α/2, ν)·se.</li>
 *   <li>Non-inferiority against a margin m: H₀ d ≥ m against H₁ d &lt; m, p = P(T_ν ≤ (d − m)/se).</li>
 *   <li>Holm's step-down adjustment over a family of p-values.</li>
 *   <li>Samples needed: n per model = ⌈(z(1 − α/k) + z(power))² (s²ₐ + s²ᵦ) / (m − d)²⌉, normal approximation, at
 *       Bonferroni's α/k, which Holm's adjustment always passes, whatever the other pairs show.</li>
 *   <li>Pass rates: Wilson score intervals.</li>
 * </ul>
 * A sample of fewer than two has no variance: its comparisons are unknown (NaN), which callers report as the
 * widest interval and p = 1.
 */
public final class Inference {
    /** The power at which {@link #samplesNeeded} sizes the samples. */
    public static final double POWER = 0.8;
    private static final NormalDistribution NORMAL = new NormalDistribution();

    private Inference() {
    }

    /** The sums of one model's values: how many, their sum and the sum of their squares. */
    public record Sample(long n, BigDecimal sum, BigDecimal squares) {
        public double mean() {
            return n == 0 ? Double.NaN : sum.divide(BigDecimal.valueOf(n), MathContext.DECIMAL128).doubleValue();
        }

        /** The sample variance (n − 1), NaN below two values; never negative (the index rounds squares). */
        public double variance() {
            if (n < 2) {
                return Double.NaN;
            }
            BigDecimal count = BigDecimal.valueOf(n);
            BigDecimal centered = squares.subtract(sum.multiply(sum).divide(count, MathContext.DECIMAL128));
            return Math.max(0, centered.divide(BigDecimal.valueOf(n - 1), MathContext.DECIMAL128).doubleValue());
        }
    }

    /** Welch's comparison of two means: their difference, its standard error and degrees of freedom (NaN when unknown). */
    public record Welch(double diff, double se, double df) {
        public static Welch of(Sample a, Sample b) {
            double va = a.variance() / a.n();
            double vb = b.variance() / b.n();
            double se = Math.sqrt(va + vb);
            double df = (va + vb) * (va + vb) / (va * va / (a.n() - 1) + vb * vb / (b.n() - 1));
            return new Welch(a.mean() - b.mean(), se, df);
        }

        public boolean known() {
            return !Double.isNaN(se);
        }

        /** The two-sided interval of the difference at {@code confidence}; {@code [diff, diff]} when nothing varies. */
        public double[] interval(double confidence) {
            if (se == 0) {
                return new double[] {diff, diff};
            }
            double t = new TDistribution(df).inverseCumulativeProbability(1 - (1 - confidence) / 2);
            return new double[] {diff - t * se, diff + t * se};
        }

        /** P(T ≤ (d − m)/se): small when the difference is shown to be below the margin. */
        public double nonInferiorityP(double margin) {
            if (se == 0) {
                return diff < margin ? 0 : 1;
            }
            return new TDistribution(df).cumulativeProbability((diff - margin) / se);
        }
    }

    /** Holm's step-down adjustment: the i-th smallest of k becomes max over j ≤ i of min(1, (k − j + 1)·p₍ⱼ₎). */
    public static double[] holm(double[] p) {
        int k = p.length;
        Integer[] order = IntStream.range(0, k).boxed().sorted(Comparator.comparingDouble(i -> p[i])).toArray(Integer[]::new);
        double[] adjusted = new double[k];
        double running = 0;
        for (int rank = 0; rank < k; rank++) {
            running = Math.max(running, Math.min(1, (k - rank) * p[order[rank]]));
            adjusted[order[rank]] = running;
        }
        return adjusted;
    }

    /** The Wilson score interval of {@code successes} in {@code trials}; null without trials. */
    public static Interval wilson(long successes, long trials, double confidence) {
        if (trials <= 0) {
            return null;
        }
        double rate = (double) successes / trials;
        ConfidenceInterval ci = BinomialProportion.getWilsonScoreInterval((int) Math.min(trials, Integer.MAX_VALUE), rate, confidence);
        return new Interval(rate, Math.max(0, ci.getLowerBound()), Math.min(1, ci.getUpperBound()));
    }

    /**
     * Values per sample at which a difference {@code diff} with these variances shows as below {@code margin} at the
     * one-sided level {@code alpha} with {@link #POWER}; null when a variance is unknown or no size would.
     */
    public static Integer samplesNeeded(Sample a, Sample b, double margin, double alpha) {
        double variances = a.variance() + b.variance();
        if (Double.isNaN(variances) || diffOf(a, b) >= margin) {
            return null;
        }
        double z = NORMAL.inverseCumulativeProbability(1 - alpha) + NORMAL.inverseCumulativeProbability(POWER);
        double gap = margin - diffOf(a, b);
        double n = Math.ceil(z * z * variances / (gap * gap));
        return (int) Math.max(2, Math.min(n, Integer.MAX_VALUE));
    }

    private static double diffOf(Sample a, Sample b) {
        return a.mean() - b.mean();
    }
}

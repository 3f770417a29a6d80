package dev.aiusage.budget;

import dev.aiusage.analysis.Interval;
import org.hipparchus.distribution.continuous.TDistribution;

import java.time.DayOfWeek;
import java.time.LocalDate;

/**
 * The forecast of a period's spend at its end, with a 90% interval, from the daily spend of the last four weeks and
 * its weekday pattern:
 * <ol>
 *   <li>History: the {@value #HISTORY_DAYS} complete days before today in the budget's zone, from the first of them
 *       with any spend (a scope that started spending two weeks ago has two weeks of history, not 26 zeros).</li>
 *   <li>With at least {@value #PATTERN_MIN_DAYS} days, each weekday's mean over its days in the history (the
 *       pattern), residual variance σ² = Σ (y − mean of its weekday)² / (n − 7); with fewer, one mean for every
 *       day and σ² = Σ (y − mean)² / (n − 1).</li>
 *   <li>Forecast = spent so far + what today's weekday mean exceeds today's spend so far by (never less than 0) +
 *       the mean of each later day's weekday up to the period's end.</li>
 *   <li>Interval: ± t(0.95, dof) × √(σ² × (R + Σ k²/c)), R the remaining days (today among them), k the remaining
 *       days of a weekday, c that weekday's days in the history (the days' own spread plus the means' error);
 *       never below what is spent. No spread is known without two days of history: the interval is the forecast.</li>
 * </ol>
 */
final class Forecast {
    static final int HISTORY_DAYS = 28;
    static final int PATTERN_MIN_DAYS = 14;
    static final double LEVEL = 0.9;

    private Forecast() {
    }

    /**
     * @param history    spend per day over the {@value #HISTORY_DAYS} days before {@code today}, oldest first
     * @param spent      spend from the period's start to now (today's so far included)
     * @param spentToday today's spend so far
     * @param periodEnd  the first day after the period
     */
    static Interval of(LocalDate today, double[] history, double spent, double spentToday, LocalDate periodEnd) {
        int first = 0;
        while (first < history.length && history[first] <= 0) {
            first++;
        }
        int n = history.length - first;
        if (n == 0) {
            return new Interval(spent, spent, spent);
        }
        boolean pattern = n >= PATTERN_MIN_DAYS;
        double[] sum = new double[7];
        int[] count = new int[7];
        for (int i = first; i < history.length; i++) {
            int w = weekday(today.minusDays(history.length - i));
            sum[w] += history[i];
            count[w]++;
        }
        double total = 0;
        for (int w = 0; w < 7; w++) {
            total += sum[w];
        }
        double[] mean = new double[7];
        for (int w = 0; w < 7; w++) {
            mean[w] = pattern ? sum[w] / count[w] : total / n;
        }
        double squares = 0;
        for (int i = first; i < history.length; i++) {
            double residual = history[i] - mean[weekday(today.minusDays(history.length - i))];
            squares += residual * residual;
        }
        int dof = pattern ? n - 7 : n - 1;
        double estimate = spent + Math.max(0, mean[weekday(today)] - spentToday);
        int[] remaining = new int[7];
        remaining[weekday(today)]++;
        for (LocalDate d = today.plusDays(1); d.isBefore(periodEnd); d = d.plusDays(1)) {
            estimate += mean[weekday(d)];
            remaining[weekday(d)]++;
        }
        if (dof < 1 || squares == 0) {
            return new Interval(estimate, estimate, estimate);
        }
        double sigma2 = squares / dof;
        double spread = 0;
        int days = 0;
        for (int w = 0; w < 7; w++) {
            days += remaining[w];
            if (pattern) {
                spread += (double) remaining[w] * remaining[w] / count[w];
            }
        }
        if (!pattern) {
            spread = (double) days * days / n;
        }
        double half = new TDistribution(dof).inverseCumulativeProbability(1 - (1 - LEVEL) / 2) * Math.sqrt(sigma2 * (days + spread));
        return new Interval(estimate, Math.max(spent, estimate - half), estimate + half);
    }

    private static int weekday(LocalDate day) {
        return day.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue();
    }
}
